import { setTimeout as delay } from 'node:timers/promises';
import type { KubeClient, KubeObject } from '../kube/index.js';
import type { DemoController } from './demo-controller.js';
import { hetznerClusters } from '../reconcilers/shared/kinds.js';
import { DEMO_CLUSTER, DEMO_NAMESPACE } from './demo-objects.js';
import type { DemoStack } from './demo-stack.js';
import { checkInstalledOs } from './os-check.js';

/** An installed OS to log in to, as a flavour reads it from its objects. */
export interface OsTarget {
  /** The machine's name. */
  readonly name: string;
  readonly providerID: string;
  /** Where its OS answers; undefined when it is not running (see `notRunning`). */
  readonly address: string | undefined;
  /** Why it is not running, shown instead of a login. */
  readonly notRunning: string;
  /** The hostname its OS should answer with, and where that name comes from. */
  readonly hostname: string;
  readonly hostnameOrigin: string;
}

/** What to point the user at, per flavour. */
export interface LookAroundHints {
  /** `kubectl get` argument, e.g. `hcloudmachines`. */
  readonly resources: string;
  /** `kubectl describe` arguments of one object with the command's output in its events. */
  readonly describe: string;
  /** Extra lines (simulator endpoints; never credentials). */
  readonly endpoints: readonly string[];
}

/**
 * Logs in to every target's installed OS and shows that its hostname is the expected one: the
 * server booted what the image-url-command wrote. True when all match.
 */
export async function verifyInstalledOs(
  targets: readonly OsTarget[],
  privateKey: string,
  print: (line: string) => void,
): Promise<boolean> {
  const results = await Promise.all(targets.map((target) => verifyOne(target, privateKey)));
  for (const result of results) print(result.line);
  return results.length > 0 && results.every((result) => result.match);
}

async function verifyOne(target: OsTarget, privateKey: string): Promise<{ line: string; match: boolean }> {
  const { name, address } = target;
  if (address === undefined) return { line: `  ${name}  not running (${target.notRunning})`, match: false };
  const hostname = await checkInstalledOs({ machine: target.hostname, address, privateKey }).then(
    (answer) => answer.hostname,
    (error: unknown) => `no answer (${error instanceof Error ? error.message : String(error)})`,
  );
  const match = hostname === target.hostname;
  const verdict = match ? ` ✓ (${target.hostnameOrigin})` : ' ✗';
  return {
    line: `  ${name}  ${target.providerID}  ssh root@${address} hostname → ${hostname}${verdict}`,
    match,
  };
}

/**
 * How to look at what the demo makes, printed before the machines are applied: a machine that
 * gets stuck is best looked at while the demo still runs, not after it stopped everything.
 */
export function lookAround(
  stack: DemoStack,
  controller: DemoController,
  hints: LookAroundHints,
  print: (line: string) => void,
): void {
  const kubectl = stack.controlPlane.binaries.kubectl ?? 'kubectl';
  print('Look around while it runs (in another terminal):');
  print(`  export KUBECONFIG=${stack.controlPlane.kubeconfigPath}`);
  print(`  ${kubectl} get ${hints.resources} -n ${DEMO_NAMESPACE}`);
  print(`  ${kubectl} describe ${hints.describe} -n ${DEMO_NAMESPACE}   # events with the command's output`);
  print(`  curl -s ${controller.metricsUrl}        # the controller's metrics`);
  print(`  less ${controller.logFile}             # the controller's JSON log`);
  print(
    `  export HCLOUD_ENDPOINT=${stack.cloud.endpoint}   # the Cloud simulator (token in Secret demo-hetzner)`,
  );
  for (const line of hints.endpoints) print(`  ${line}`);
}

interface ClusterView extends KubeObject {
  status?: { ready?: boolean; conditions?: { type: string; status: string; message?: string }[] };
}

/**
 * Tells when the HetznerCluster reconciler has checked the token and the SSH keys (ready), or
 * what it still reports after `deadlineMs`. Machines do not wait for it; it is shown for the user.
 * It ends quietly when `signal` aborts (the demo ends before the cluster is ready).
 */
export async function reportClusterReady(
  client: KubeClient,
  print: (line: string) => void,
  signal: AbortSignal,
  deadlineMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let cluster: ClusterView | undefined;
  while (Date.now() < deadline) {
    if (signal.aborted) return;
    cluster = await client.find<ClusterView>(hetznerClusters, DEMO_NAMESPACE, DEMO_CLUSTER);
    if (cluster?.status?.ready === true) {
      print(`  ✓ HetznerCluster ${DEMO_CLUSTER} ready: the hcloud token and SSH keys were checked`);
      return;
    }
    await delay(250, undefined, { signal }).catch(() => undefined);
  }
  if (signal.aborted) return;
  print(`  ! HetznerCluster ${DEMO_CLUSTER} not ready: ${openConditions(cluster)}`);
}

function openConditions(cluster: ClusterView | undefined): string {
  const open = (cluster?.status?.conditions ?? []).filter((c) => c.status !== 'True');
  return open.map((c) => `${c.type}: ${c.message ?? ''}`).join('; ') || 'no status yet';
}
