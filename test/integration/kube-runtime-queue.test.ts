import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import {
  Manager,
  toSelf,
  watchSource,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
} from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import {
  createAll,
  CRD_DIR,
  eventually,
  hcloudMachine,
  hcloudMachines,
  testClient,
  type HCloudMachineObject,
  type TestClient,
} from '../support/kube-runtime-fixtures.js';

const OBJECTS = 1_000;

function startManager(
  api: TestClient,
  namespace: string,
  reconciler: Reconciler,
  baseDelayMs?: number,
): {
  stop: () => Promise<void>;
  manager: Manager;
} {
  const manager = new Manager({ client: api.client, log: api.log, metrics: api.metrics, namespace });
  const informer = manager.informer<HCloudMachineObject>(hcloudMachines);
  manager.addController({
    name: namespace,
    for: watchSource(informer, toSelf()),
    reconciler,
    workers: 8,
    ...(baseDelayMs === undefined ? {} : { rateLimiter: { baseDelayMs } }),
  });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  return {
    manager,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

describe('the work queue against a real kube-apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let api: TestClient;

  before(async () => {
    controlPlane = await startControlPlane({ crdPaths: [CRD_DIR], installClusterApiCrds: false });
    api = testClient(controlPlane.kubeConfig());
  });
  after(async () => {
    api.transport.close();
    await controlPlane?.stop();
  });

  it('reconciles each of 1,000 objects, never one key concurrently with itself', async () => {
    const namespace = 'thousand';
    await createNamespace(controlPlane?.kubeConfig() ?? assert.fail(), namespace);
    const objects = Array.from({ length: OBJECTS }, (_, i) => hcloudMachine(namespace, `m-${i}`));
    await createAll(api.client, hcloudMachines, objects.slice(0, 600));

    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const reconciles = new Map<string, number>();
    let informerOf: (key: string) => HCloudMachineObject | undefined = () => undefined;
    const reconciler: Reconciler = {
      async reconcile({ key, namespace: ns, name }: ReconcileRequest): Promise<undefined> {
        if (inFlight.has(key)) overlaps.push(key);
        inFlight.add(key);
        const count = (reconciles.get(key) ?? 0) + 1;
        reconciles.set(key, count);
        try {
          // Every tenth object changes while its reconcile runs: the change must queue it again, not run it twice at once.
          if (count === 1 && Number(name.slice(2)) % 10 === 0) {
            const patched = await api.client.mergePatch<HCloudMachineObject>(
              hcloudMachines,
              { namespace: ns, name },
              {
                metadata: { annotations: { touched: 'yes' } },
              },
            );
            await eventually(
              `the cache to see ${key} change`,
              () => informerOf(key)?.metadata.resourceVersion === patched.metadata.resourceVersion,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        } finally {
          inFlight.delete(key);
        }
        return undefined;
      },
    };
    const running = startManager(api, namespace, reconciler);
    informerOf = (key) => running.manager.informer<HCloudMachineObject>(hcloudMachines).store.get(key);
    try {
      await createAll(api.client, hcloudMachines, objects.slice(600));
      await eventually(
        'every object to be reconciled, the touched ones twice',
        () => {
          if (reconciles.size < OBJECTS) return false;
          return objects.every(
            (o, i) =>
              (reconciles.get(`${namespace}/${o.metadata.name ?? ''}`) ?? 0) >= (i % 10 === 0 ? 2 : 1),
          );
        },
        120_000,
      );
    } finally {
      await running.stop();
    }
    assert.deepEqual(overlaps, [], 'no key was reconciled while its previous reconcile still ran');
    assert.equal(reconciles.size, OBJECTS);
  });

  it('requeues a failing key with growing delays and honours requeueAfter, never early', async () => {
    const namespace = 'retries';
    await createNamespace(controlPlane?.kubeConfig() ?? assert.fail(), namespace);
    const flakyStarts: number[] = [];
    const later: { returnedAt?: number; againAt?: number } = {};
    const reconciler: Reconciler = {
      reconcile({ name }: ReconcileRequest): Promise<ReconcileResult | undefined> {
        const now = performance.now();
        if (name === 'flaky') {
          flakyStarts.push(now);
          if (flakyStarts.length <= 5)
            return Promise.reject(new Error(`attempt ${flakyStarts.length} fails`));
        }
        if (name === 'later') {
          if (later.returnedAt === undefined) {
            later.returnedAt = performance.now();
            return Promise.resolve({ requeueAfterMs: 500 });
          }
          later.againAt ??= now;
        }
        return Promise.resolve(undefined);
      },
    };
    await createAll(api.client, hcloudMachines, [
      hcloudMachine(namespace, 'flaky'),
      hcloudMachine(namespace, 'later'),
    ]);
    const running = startManager(api, namespace, reconciler, 20);
    try {
      await eventually(
        'flaky to succeed on its sixth attempt and later to come back',
        () => flakyStarts.length >= 6 && later.againAt !== undefined,
      );
    } finally {
      await running.stop();
    }
    const gaps = flakyStarts.slice(1).map((start, i) => start - (flakyStarts[i] ?? 0));
    console.log(`flaky retry gaps (ms): ${gaps.map((g) => g.toFixed(1)).join(', ')}`);
    gaps.slice(0, 5).forEach((gap, i) =>
      // Timers run on the event loop's cached clock, so they may fire a few ms early by performance.now().
      assert.ok(gap >= 20 * 2 ** i - 5, `retry ${i + 1} waited ${gap} ms, expected ≥ ${20 * 2 ** i}`),
    );
    // Load only adds to a gap, so neighbouring gaps may come out of order; the first and the
    // fifth (20 ms and 320 ms planned) cannot, unless the delays do not grow.
    assert.ok((gaps[4] ?? 0) > (gaps[0] ?? 0), `retry delays grow: ${gaps.join(', ')}`);
    const waited = (later.againAt ?? 0) - (later.returnedAt ?? 0);
    console.log(`requeueAfter 500 ms came back after ${waited.toFixed(1)} ms`);
    // Never early; late only by what a busy machine adds (not forgotten until some resync).
    assert.ok(waited >= 495 && waited < 3_000, `requeueAfter 500 ms honoured (took ${waited} ms)`);
  });
});
