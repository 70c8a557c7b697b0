import { setTimeout as delay } from 'node:timers/promises';
import type { HCloudMachineStatus } from '../../api/v1beta1/hcloud-machine.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import type { DemoController } from './demo-controller.js';
import { DEMO_CLUSTER, DEMO_NAMESPACE, hcloudMachines, hetznerClusters } from './demo-objects.js';
import type { DemoStack } from './demo-stack.js';
import { checkInstalledOs } from './os-check.js';

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: HCloudMachineStatus;
}

/**
 * Logs in to every running machine's installed OS and shows that its hostname is the one its
 * bootstrap data named: the server booted what the image-url-command wrote. True when all match.
 */
export async function verifyInstalledOs(
  client: KubeClient,
  stack: DemoStack,
  print: (line: string) => void,
): Promise<boolean> {
  const list = await client.list<Machine>(hcloudMachines, { namespace: DEMO_NAMESPACE });
  const results = await Promise.all(list.items.map((machine) => verifyOne(machine, stack)));
  for (const result of results) print(result.line);
  return results.every((result) => result.match);
}

async function verifyOne(machine: Machine, stack: DemoStack): Promise<{ line: string; match: boolean }> {
  const name = machine.metadata.name ?? '';
  const status = machine.status ?? {};
  const address = externalAddress(status);
  if (status.bootState !== 'OperatingSystemRunning' || address === undefined) {
    return { line: `  ${name}  not running (${status.bootState ?? 'no boot state'})`, match: false };
  }
  const hostname = await checkInstalledOs({
    machine: name,
    address,
    privateKey: stack.osKey.privateKey,
  }).then(
    (answer) => answer.hostname,
    (error: unknown) => `no answer (${error instanceof Error ? error.message : String(error)})`,
  );
  const match = hostname === name;
  const verdict = match ? ' ✓ (from its bootstrap data)' : ' ✗';
  return {
    line: `  ${name}  ${machine.spec.providerID ?? ''}  ssh root@${address} hostname → ${hostname}${verdict}`,
    match,
  };
}

function externalAddress(status: HCloudMachineStatus): string | undefined {
  return status.addresses?.find((a) => a.type === 'ExternalIP')?.address;
}

/** How to look at what the demo made while it still runs. */
export function lookAround(
  stack: DemoStack,
  controller: DemoController,
  print: (line: string) => void,
  exiting: boolean,
): void {
  const kubectl = stack.controlPlane.binaries.kubectl ?? 'kubectl';
  print(exiting ? 'While it ran, you could have looked around with:' : 'Look around (in another terminal):');
  print(`  export KUBECONFIG=${stack.controlPlane.kubeconfigPath}`);
  print(`  ${kubectl} get hcloudmachines -n ${DEMO_NAMESPACE}`);
  print(
    `  ${kubectl} describe hcloudmachine demo-worker-1 -n ${DEMO_NAMESPACE}   # events with the command's output`,
  );
  print(`  curl -s ${controller.metricsUrl}        # the controller's metrics`);
  print(`  less ${controller.logFile}             # the controller's JSON log`);
  print(
    `  export HCLOUD_ENDPOINT=${stack.cloud.endpoint}   # the Cloud simulator (token in Secret demo-hetzner)`,
  );
  if (!exiting) print('Press Ctrl-C to stop everything.');
}

interface ClusterView extends KubeObject {
  status?: { ready?: boolean; conditions?: { type: string; status: string; message?: string }[] };
}

/**
 * Tells when the HetznerCluster reconciler has checked the token and the SSH keys (ready), or
 * what it still reports after `deadlineMs`. Machines do not wait for it; it is shown for the user.
 */
export async function reportClusterReady(
  client: KubeClient,
  print: (line: string) => void,
  deadlineMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let cluster: ClusterView | undefined;
  while (Date.now() < deadline) {
    cluster = await client.find<ClusterView>(hetznerClusters, DEMO_NAMESPACE, DEMO_CLUSTER);
    if (cluster?.status?.ready === true) {
      print(`  ✓ HetznerCluster ${DEMO_CLUSTER} ready: the hcloud token and SSH keys were checked`);
      return;
    }
    await delay(250);
  }
  print(`  ! HetznerCluster ${DEMO_CLUSTER} not ready: ${openConditions(cluster)}`);
}

function openConditions(cluster: ClusterView | undefined): string {
  const open = (cluster?.status?.conditions ?? []).filter((c) => c.status !== 'True');
  return open.map((c) => `${c.type}: ${c.message ?? ''}`).join('; ') || 'no status yet';
}
