import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  keyOf,
  Manager,
  toSelf,
  watchSource,
  type Informer,
  type KubeClient,
  type Reconciler,
} from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { TwoApiservers } from '../support/kube-runtime-apiservers.js';
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
import { TcpProxy, type ProxyMode } from '../support/kube-runtime-tcp-proxy.js';

/** What a running controller has seen: the spec.type each key was last reconciled with, and deletions. */
interface Watched {
  readonly manager: Manager;
  readonly informer: Informer<HCloudMachineObject>;
  readonly reconciledType: Map<string, string>;
  readonly deleted: Set<string>;
  stop(): Promise<void>;
}

function watch(api: TestClient, namespace: string, watchIdleTimeoutMs?: number): Watched {
  const manager = new Manager({
    client: api.client,
    log: api.log,
    metrics: api.metrics,
    namespace,
    ...(watchIdleTimeoutMs ? { watchIdleTimeoutMs } : {}),
  });
  const informer = manager.informer<HCloudMachineObject>(hcloudMachines);
  const reconciledType = new Map<string, string>();
  const deleted = new Set<string>();
  informer.onChange((change) => {
    if (change.type === 'deleted') deleted.add(keyOf(change.object));
  });
  const reconciler: Reconciler = {
    reconcile: ({ key }) => {
      const type = informer.store.get(key)?.spec.type;
      if (typeof type === 'string') reconciledType.set(key, type);
      return Promise.resolve(undefined);
    },
  };
  manager.addController({ name: namespace, for: watchSource(informer, toSelf()), reconciler });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  return {
    manager,
    informer,
    reconciledType,
    deleted,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

interface Changes {
  readonly created: string[];
  readonly modified: string[];
  readonly deleted: string[];
}

const before6 = (ns: string): HCloudMachineObject[] =>
  [0, 1, 2, 3, 4, 5].map((i) => hcloudMachine(ns, `old-${i}`));

/** While the controller cannot reach its apiserver: 5 creates, 3 spec changes, 3 deletes. */
async function changeMeanwhile(writer: KubeClient, namespace: string): Promise<Changes> {
  const created = [0, 1, 2, 3, 4].map((i) => `new-${i}`);
  await createAll(
    writer,
    hcloudMachines,
    created.map((name) => hcloudMachine(namespace, name)),
  );
  const modified = ['old-0', 'old-1', 'old-2'];
  for (const name of modified)
    await writer.mergePatch(hcloudMachines, { namespace, name }, { spec: { type: 'cpx31' } });
  const deleted = ['old-3', 'old-4', 'old-5'];
  for (const name of deleted) await writer.delete(hcloudMachines, namespace, name);
  const key = (name: string): string => `${namespace}/${name}`;
  return { created: created.map(key), modified: modified.map(key), deleted: deleted.map(key) };
}

/** The cache equals the apiserver's list (names and resourceVersions) and every change was handled. */
async function expectConverged(
  watched: Watched,
  writer: KubeClient,
  namespace: string,
  changes: Changes,
): Promise<void> {
  await eventually(
    'the controller to see every change made during the outage',
    async () => {
      const truth = await writer.list<HCloudMachineObject>(hcloudMachines, { namespace });
      const cached = new Map(
        watched.informer.store.list().map((o) => [keyOf(o), o.metadata.resourceVersion]),
      );
      const same =
        truth.items.length === cached.size &&
        truth.items.every((o) => cached.get(keyOf(o)) === o.metadata.resourceVersion);
      return (
        same &&
        changes.created.every((key) => watched.reconciledType.has(key)) &&
        changes.modified.every((key) => watched.reconciledType.get(key) === 'cpx31') &&
        changes.deleted.every((key) => watched.deleted.has(key))
      );
    },
    60_000,
  );
}

async function restartsFor(api: TestClient, reason: string): Promise<number> {
  const metric = await api.metrics.registry.getSingleMetric('imageurl_informer_restarts_total')?.get();
  return metric?.values.filter((v) => v.labels.reason === reason).reduce((sum, v) => sum + v.value, 0) ?? 0;
}

async function startWatching(
  api: TestClient,
  writer: KubeClient,
  namespace: string,
  idleMs?: number,
): Promise<Watched> {
  await createAll(writer, hcloudMachines, before6(namespace));
  const watched = watch(api, namespace, idleMs);
  await eventually('the first objects to be reconciled', () => watched.reconciledType.size === 6);
  return watched;
}

describe('watches recover from outages without a process restart', () => {
  let cluster: TwoApiservers | undefined;
  let writer: TestClient;
  let writerConfig: KubeConfig;

  before(async () => {
    cluster = await TwoApiservers.start([CRD_DIR]);
    writerConfig = cluster.kubeConfig('b');
    writer = testClient(writerConfig);
  });
  after(async () => {
    writer.transport.close();
    await cluster?.stop();
  });

  it('kube-apiserver stopped for 10 s and restarted: nothing changed meanwhile (through another apiserver) is missed', async () => {
    const namespace = 'apiserver-restart';
    await createNamespace(writerConfig, namespace);
    const api = testClient(cluster?.kubeConfig('a') ?? assert.fail());
    const watched = await startWatching(api, writer.client, namespace);
    try {
      const stoppedAt = performance.now();
      await cluster?.stopApiserver('a');
      const changes = await changeMeanwhile(writer.client, namespace);
      // The outage itself is the scenario: apiserver a stays down for 10 s whatever happens meanwhile.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, 10_000 - (performance.now() - stoppedAt))),
      );
      await cluster?.startApiserver('a');
      const restartedAt = performance.now();
      await expectConverged(watched, writer.client, namespace, changes);
      const relists = await api.metrics.registry.getSingleMetric('imageurl_informer_relists_total')?.get();
      console.log(
        `converged ${Math.round(performance.now() - restartedAt)} ms after apiserver a was ready again; ` +
          `relists: ${relists?.values[0]?.value ?? 0}, watch restarts after errors: ${await restartsFor(api, 'KUBE_UNREACHABLE')}`,
      );
      assert.ok((await restartsFor(api, 'KUBE_UNREACHABLE')) >= 1, 'the watch failed and was restarted');
    } finally {
      await watched.stop();
      api.transport.close();
    }
  });

  /** An outage between the controller and apiserver a, made by a TCP proxy; changes happen meanwhile. */
  async function throughProxy(
    namespace: string,
    outage: { mode: ProxyMode; idleMs?: number; lasts: (api: TestClient) => Promise<void> },
  ): Promise<void> {
    await createNamespace(writerConfig, namespace);
    const proxy = await TcpProxy.start(Number(new URL(cluster?.server('a') ?? assert.fail()).port));
    const api = testClient(cluster?.kubeConfig('a', proxy.url) ?? assert.fail());
    const watched = await startWatching(api, writer.client, namespace, outage.idleMs);
    try {
      proxy.mode = outage.mode;
      const changes = await changeMeanwhile(writer.client, namespace);
      await outage.lasts(api);
      proxy.mode = 'pass';
      await expectConverged(watched, writer.client, namespace, changes);
    } finally {
      await watched.stop();
      api.transport.close();
      await proxy.close();
    }
  }

  it('a network that resets every connection for 5 s', async () => {
    await throughProxy('network-reset', {
      mode: 'refuse',
      lasts: async () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    });
  });

  it('a network that silently drops everything (half-open connections) is noticed by the watchdog', async () => {
    await throughProxy('network-blackhole', {
      mode: 'blackhole',
      idleMs: 2_000,
      lasts: async (api) =>
        eventually(
          'the watchdog to cut the silent watch',
          async () => (await restartsFor(api, 'KUBE_TIMEOUT')) >= 1,
        ),
    });
  });
});
