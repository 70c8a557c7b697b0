import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { CloudSimulator } from '../sim/cloud/cloud-simulator.js';
import { hcloudLookup, type InstanceLookup } from '../sim/kubeadm/cloud-node-controller.js';
import { cloudResources, createCapiCluster, kinds } from '../test/support/capi-cluster-objects.js';
import { startCapiEnv, type CapiEnv } from '../test/support/capi-controllers.js';
import { installNodeCommand, NODE_COMMAND } from '../test/support/capi-workload-nodes.js';
import { printCapiTable } from './capi-cluster-table.js';
import { phaseRequests, type PhaseRequests, type RequestSnapshot } from './capi-cluster-requests.js';
import {
  waitCreated,
  waitDeleted,
  waitSettled,
  type CreateTimes,
  type Watched,
} from './capi-cluster-world.js';

/**
 * Issue #15's figures: a Cluster under Cluster API 1.14's own managers (the shipped
 * hcloud-image-url template: KubeadmControlPlane of 1, a MachineDeployment of N workers, default
 * 3) against the Cloud simulator at its realistic durations (fixed seed, ×0.1 by default), nodes
 * joining a real workload apiserver (ADR 0013). Measures applying the manifests → Nodes Ready,
 * then scaling the workers N → 5 → 2 and deleting the Cluster, and the hcloud requests the
 * simulator received in each phase. Writes bench/results/capi-cluster-<time>.json. Usage:
 * TMPDIR=/var/tmp/x node --import tsx bench/capi-cluster.ts [--workers N] [--seed N] [--time-scale X]
 * (`--time-scale 1` for Hetzner's durations as measured).
 */
const NS = 'bench-capi';
const CLUSTER = 'bench';
const SCALES = [5, 2] as const;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/** The cloud-controller stand-in's lookups, counted so they are not taken for imageurl's. */
function countedLookup(sim: () => CloudSimulator): { lookup: InstanceLookup; count: () => number } {
  let count = 0;
  const lookup: InstanceLookup = (name) => {
    count += 1;
    return hcloudLookup(() => sim().endpoint, sim().token)(name);
  };
  return { lookup, count: () => count };
}

interface Figures {
  readonly workers: number;
  readonly createSeconds: CreateTimes;
  readonly phases: { name: string; seconds: number; requests: PhaseRequests }[];
  readonly lifecycle: PhaseRequests;
  readonly leftInTheCloud: Record<string, number>;
}

async function measure(
  env: CapiEnv,
  snapshot: () => RequestSnapshot,
  workers: number,
  timeScale: number,
): Promise<Figures> {
  // Per wait: the realistic durations scaled, and Cluster API's own pace on 2 busy cores.
  const w: Watched = {
    env,
    namespace: NS,
    cluster: CLUSTER,
    deadlineMs: Math.max(15, 30 * timeScale) * 60_000,
  };
  await installNodeCommand(env);
  const start = snapshot();
  const appliedAt = Date.now();
  await createCapiCluster(env, { namespace: NS, name: CLUSTER, workers, command: NODE_COMMAND });
  const createSeconds = await waitCreated(w, workers, appliedAt);
  const created = snapshot();
  const phases: Figures['phases'] = [
    {
      name: 'create',
      seconds: createSeconds.clusterSettled,
      requests: phaseRequests(start, created, workers + 1),
    },
  ];
  let before = created;
  let current = workers;
  for (const replicas of SCALES) {
    const since = Date.now();
    await env.api.client.mergePatch(
      kinds.machineDeployment,
      { namespace: NS, name: `${CLUSTER}-md-0` },
      { spec: { replicas } },
    );
    const seconds = await waitSettled(w, replicas, since);
    const after = snapshot();
    const name = `scale ${String(current)} → ${String(replicas)}`;
    phases.push({ name, seconds, requests: phaseRequests(before, after, Math.abs(replicas - current)) });
    before = after;
    current = replicas;
  }
  const deleteSince = Date.now();
  await env.api.client.delete(kinds.cluster, NS, CLUSTER);
  const deleteSeconds = await waitDeleted(w, deleteSince);
  const deleted = snapshot();
  phases.push({
    name: 'delete',
    seconds: deleteSeconds,
    requests: phaseRequests(before, deleted, current + 1),
  });
  // Read over the API only now, after the last snapshot: the bench's own requests are not counted.
  const left = await cloudResources(env);
  const serversCreated = workers + 1 + Math.max(0, SCALES[0] - workers);
  return {
    workers,
    createSeconds,
    phases,
    lifecycle: phaseRequests(start, deleted, serversCreated),
    leftInTheCloud: Object.fromEntries(Object.entries(left).map(([kind, list]) => [kind, list.length])),
  };
}

async function main(): Promise<void> {
  // The rescue systems keep /tmp private; the harness needs a scratch folder they can see.
  process.env.TMPDIR ??= '/var/tmp';
  const workers = Number(option('workers', '3'));
  const seed = Number(option('seed', '1'));
  const timeScale = Number(option('time-scale', '0.1'));
  const started: { sim?: CloudSimulator } = {};
  const cloudController = countedLookup(() => started.sim ?? assertStarted());
  const workloadLog: string[] = [];
  const env = await startCapiEnv({
    cloud: {
      profile: 'realistic',
      seed,
      timeScale,
      workloadClusters: { cloudLookup: cloudController.lookup, onLog: (line) => workloadLog.push(line) },
    },
  });
  started.sim = env.cloud.sim;
  const running = env.cloud.sim;
  const snapshot = (): RequestSnapshot => ({
    counters: running.requests.counters(),
    cloudControllerLookups: cloudController.count(),
  });
  // Other work on the machine stretches every time here (not the request counts): recorded with them.
  const loadBefore = loadavg();
  try {
    const figures = await env.explain(() => measure(env, snapshot, workers, timeScale));
    const record = {
      date: new Date().toISOString(),
      cores: cpus().length,
      loadAverage1m: { before: loadBefore[0] ?? NaN, after: loadavg()[0] ?? NaN },
      node: process.versions.node,
      argv: process.argv.slice(2),
      simulator: { profile: 'realistic', seed, timeScale },
      ...figures,
    };
    printCapiTable(record);
    const stamp = record.date.replace(/[:.]/g, '-');
    const results = new URL('./results/', import.meta.url);
    await mkdir(results, { recursive: true });
    await writeFile(new URL(`capi-cluster-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
    console.log(`written to bench/results/capi-cluster-${stamp}.json`);
  } catch (error) {
    console.error(`workload clusters:\n${workloadLog.slice(-40).join('\n')}`);
    throw error;
  } finally {
    await env.stop();
  }
}

function assertStarted(): never {
  throw new Error('the Cloud simulator is not started yet');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
