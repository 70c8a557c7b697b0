import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startControlPlane } from '../sim/kube-control-plane/index.js';
import {
  LeaderElector,
  leaseKind,
  Manager,
  toSelf,
  watchSource,
  WorkQueue,
  type KubeClient,
  type KubeObject,
  type ReconcileRequest,
} from '../src/kube/index.js';
import { createNamespace } from '../test/support/kube-objects.js';
import {
  createAll,
  CRD_DIR,
  hcloudMachine,
  hcloudMachines,
  testClient,
  type HCloudMachineObject,
  type TestClient,
} from '../test/support/kube-runtime-fixtures.js';

/**
 * Controller runtime figures (issue 6): a no-op reconciler over N HCloudMachines (default
 * 5,000) on a real kube-apiserver — initial list + reconcile of all, then a watch-driven
 * wave (every object patched once), reconciles/s and memory; plus the work queue alone, and
 * leader handover between two electors on one Lease.
 * Usage: node --expose-gc --import tsx bench/runtime.ts [--objects N] [--workers N] [--handovers N]
 */
const NAMESPACE = 'bench';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Heap and RSS in MiB after a full GC when --expose-gc allows one. */
function memory(): { heapUsedMiB: number; rssMiB: number; afterGc: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { heapUsedMiB: mib(usage.heapUsed), rssMiB: mib(usage.rss), afterGc: gc !== undefined };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    Math.round((sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 10) / 10
  );
}

async function until(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Patches every object once, `concurrency` at a time; returns when each patch was answered. */
async function patchAll(
  client: KubeClient,
  names: readonly string[],
): Promise<Map<string, { rv: string; at: number }>> {
  const answered = new Map<string, { rv: string; at: number }>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < names.length; i = next++) {
      const name = names[i] ?? '';
      const patch = { metadata: { annotations: { bench: 'touched' } } };
      const patched = await client.mergePatch<HCloudMachineObject>(
        hcloudMachines,
        { namespace: NAMESPACE, name },
        patch,
      );
      answered.set(`${NAMESPACE}/${name}`, {
        rv: patched.metadata.resourceVersion ?? '',
        at: performance.now(),
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return answered;
}

/** Keys through the work queue alone: add, get, done with `workers` concurrent consumers. */
async function queueOnly(keys: number, workers: number): Promise<number> {
  const queue = new WorkQueue();
  let done = 0;
  const began = performance.now();
  const consume = async (): Promise<void> => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      queue.forget(key);
      queue.done(key);
      if (++done === keys) queue.shutDown();
    }
  };
  const consumers = Array.from({ length: workers }, consume);
  for (let i = 0; i < keys; i++) queue.add(`ns/object-${i}`);
  await Promise.all(consumers);
  return Math.round(keys / ((performance.now() - began) / 1000));
}

/** The test suite's election timings (test/integration/kube-runtime-leader.test.ts). */
const ELECTION = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 };

interface LeaseRecord extends KubeObject {
  spec?: { holderIdentity?: string; acquireTime?: string; renewTime?: string };
}

/** Resolves once the leader has renewed `times` more times (so a new candidate has seen it renew). */
async function renewals(api: TestClient, name: string, times: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  const seen = new Set<string>();
  const renewTime = async (): Promise<string> =>
    (await api.client.find<LeaseRecord>(leaseKind, NAMESPACE, name))?.spec?.renewTime ?? '';
  const first = await renewTime();
  while (seen.size < times) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${times} renewals`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const renewed = await renewTime();
    if (renewed !== first) seen.add(renewed);
  }
}

/**
 * Leader handover between in-process electors, alternating the two ways a leader goes: it
 * releases the Lease (SIGTERM) or just stops renewing (SIGKILL). Times are from the release
 * call or the stop to the candidate leading, and, for stops, from the last renewal written to
 * the candidate's acquireTime (at least the lease duration, by design).
 */
async function leaderHandover(
  api: TestClient,
  rounds: number,
): Promise<{ releasedMs: number[]; killedMs: number[]; killedAfterLastRenewalMs: number[] }> {
  const name = 'bench-handover';
  const elector = (identity: string): LeaderElector =>
    new LeaderElector({
      ...ELECTION,
      client: api.client,
      log: api.log,
      namespace: NAMESPACE,
      name,
      identity,
    });
  const figures = {
    releasedMs: [] as number[],
    killedMs: [] as number[],
    killedAfterLastRenewalMs: [] as number[],
  };
  const forever = new AbortController();
  let leader = elector('leader-0');
  await leader.acquire(forever.signal);
  for (let round = 1; round <= 2 * rounds; round++) {
    const holding = new AbortController();
    const held = leader.hold(holding.signal);
    const candidate = elector(`leader-${round}`);
    const acquired = candidate.acquire(forever.signal);
    await renewals(api, name, 2);
    const stoppedAt = performance.now();
    holding.abort();
    await held;
    if (round % 2 === 1) await leader.release();
    const last = await api.client.find<LeaseRecord>(leaseKind, NAMESPACE, name);
    await acquired;
    const handoverMs = Math.round(performance.now() - stoppedAt);
    if (round % 2 === 1) figures.releasedMs.push(handoverMs);
    else {
      figures.killedMs.push(handoverMs);
      const taken = await api.client.find<LeaseRecord>(leaseKind, NAMESPACE, name);
      const since = Date.parse(taken?.spec?.acquireTime ?? '') - Date.parse(last?.spec?.renewTime ?? '');
      figures.killedAfterLastRenewalMs.push(since);
    }
    leader = candidate;
  }
  await leader.release();
  forever.abort();
  return figures;
}

async function main(): Promise<void> {
  const objects = flag('objects', 5_000);
  const workers = flag('workers', 4);
  const handovers = flag('handovers', 5);
  const controlPlane = await startControlPlane({ crdPaths: [CRD_DIR], installClusterApiCrds: false });
  const api = testClient(controlPlane.kubeConfig(), 'imageurl-bench');
  const writer = testClient(controlPlane.kubeConfig(), 'imageurl-bench-writer');
  try {
    await createNamespace(controlPlane.kubeConfig(), NAMESPACE);
    const names = Array.from({ length: objects }, (_, i) => `m-${i}`);
    let began = performance.now();
    await createAll(
      writer.client,
      hcloudMachines,
      names.map((name) => hcloudMachine(NAMESPACE, name)),
      64,
    );
    const createPerSecond = Math.round(objects / ((performance.now() - began) / 1000));
    const baseline = memory();

    const manager = new Manager({
      client: api.client,
      log: api.log,
      metrics: api.metrics,
      namespace: NAMESPACE,
    });
    const informer = manager.informer<HCloudMachineObject>(hcloudMachines);
    const seen = new Map<string, { rv: string; at: number }[]>();
    let reconciles = 0;
    const reconcile = ({ key }: ReconcileRequest): Promise<undefined> => {
      reconciles++;
      const rv = informer.store.get(key)?.metadata.resourceVersion ?? '';
      seen.set(key, [...(seen.get(key) ?? []), { rv, at: performance.now() }]);
      return Promise.resolve(undefined);
    };
    manager.addController({
      name: 'bench',
      for: watchSource(informer, toSelf()),
      reconciler: { reconcile },
      workers,
    });
    const abort = new AbortController();
    began = performance.now();
    const running = manager.run(abort.signal);
    await informer.synced;
    const syncedMs = performance.now() - began;
    await until(() => seen.size === objects, 300_000, 'every object to be reconciled');
    const initialMs = performance.now() - began;
    const afterSync = memory();

    const before = reconciles;
    const waveBegan = performance.now();
    const answered = await patchAll(writer.client, names);
    const reconciledAfterPatch = (key: string): number | undefined =>
      seen.get(key)?.find((entry) => entry.rv === answered.get(key)?.rv)?.at;
    await until(
      () => names.every((name) => reconciledAfterPatch(`${NAMESPACE}/${name}`) !== undefined),
      300_000,
      'the wave',
    );
    const waveMs = performance.now() - waveBegan;
    const lags = [...answered].map(([key, { at }]) => Math.max(0, (reconciledAfterPatch(key) ?? at) - at));
    abort.abort();
    await running;

    const figures = {
      objects,
      workers,
      createPerSecond,
      listAndSyncMs: Math.round(syncedMs),
      initialReconcileMs: Math.round(initialMs),
      initialReconcilesPerSecond: Math.round(objects / (initialMs / 1000)),
      reconcilesPerSecondFromSyncedCache: Math.round(objects / ((initialMs - syncedMs) / 1000)),
      watchWaveMs: Math.round(waveMs),
      watchWaveReconciles: reconciles - before,
      watchWaveReconcilesPerSecond: Math.round((reconciles - before) / (waveMs / 1000)),
      patchToReconcileLagMs: {
        p50: percentile(lags, 50),
        p90: percentile(lags, 90),
        p99: percentile(lags, 99),
        max: percentile(lags, 100),
      },
      memory: {
        baseline,
        afterSync,
        cacheAndQueueHeapMiB: Math.round((afterSync.heapUsedMiB - baseline.heapUsedMiB) * 10) / 10,
        heapBytesPerObject: Math.round(
          ((afterSync.heapUsedMiB - baseline.heapUsedMiB) * 1024 * 1024) / objects,
        ),
      },
      queueOnlyKeysPerSecond: await queueOnly(100_000, workers),
      leaderHandover: { ...ELECTION, ...(await leaderHandover(api, handovers)) },
    };
    console.log(JSON.stringify(figures, null, 2));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const results = new URL('./results/', import.meta.url);
    await mkdir(results, { recursive: true });
    const record = {
      date: new Date().toISOString(),
      cores: cpus().length,
      node: process.versions.node,
      figures,
    };
    await writeFile(new URL(`runtime-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
    console.log(`written to bench/results/runtime-${stamp}.json`);
  } finally {
    api.transport.close();
    writer.transport.close();
    await controlPlane.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
