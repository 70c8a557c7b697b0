import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GROUP } from '../../api/v1beta1/index.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import {
  clusterKind,
  indexByClusterName,
  Informer,
  machineKind,
  Manager,
  ObjectReconciler,
  PAUSED_ANNOTATION,
  toClusterMembers,
  toInfrastructureRef,
  toSelf,
  watchSource,
  type ClusterLike,
  type KubeObject,
  type Phase,
} from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import {
  CRD_DIR,
  eventually,
  hcloudMachine,
  hcloudMachines,
  testClient,
  type HCloudMachineObject,
  type TestClient,
} from '../support/kube-runtime-fixtures.js';

const FINALIZER = 'hcloudmachine.infrastructure.cluster.x-k8s.io';
type Machine = HCloudMachineObject;

interface Running {
  /** Phase runs per object name. */
  readonly runs: Map<string, number>;
  stop(): Promise<void>;
}

/** A manager with one ObjectReconciler for HCloudMachines in `namespace`, wired like the real controller. */
function startReconciler(
  api: TestClient,
  namespace: string,
  phase: Phase<Machine>,
  deletePhase?: Phase<Machine>,
): Running {
  const manager = new Manager({ client: api.client, log: api.log, metrics: api.metrics, namespace });
  const machines = manager.informer<Machine>(hcloudMachines);
  indexByClusterName(machines);
  const clusters = manager.informer<ClusterLike>(clusterKind);
  const capiMachines = manager.informer<KubeObject>(machineKind);
  const runs = new Map<string, number>();
  const counted: Phase<Machine> = async (scope) => {
    const name = scope.object.metadata.name ?? '';
    runs.set(name, (runs.get(name) ?? 0) + 1);
    return phase(scope);
  };
  const reconciler = new ObjectReconciler<Machine>({
    kind: hcloudMachines,
    client: api.client,
    cache: machines,
    clusters,
    finalizer: FINALIZER,
    phases: [counted],
    ...(deletePhase ? { deletePhases: [deletePhase] } : {}),
    metrics: api.metrics.forController(namespace),
  });
  manager.addController({
    name: namespace,
    for: watchSource(machines, toSelf()),
    watches: [
      watchSource(clusters, toClusterMembers(machines)),
      watchSource(capiMachines, toInfrastructureRef('HCloudMachine')),
    ],
    reconciler,
  });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  return {
    runs,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

/** `action` the first time the returned function is called, nothing after. */
function once(action: () => Promise<void>): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await action();
  };
}

const setReady: Phase<Machine> = (scope) => {
  scope.status.ready = true;
  scope.status.region = 'fsn1';
  return Promise.resolve(undefined);
};

describe('the reconciler skeleton against a real kube-apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let api: TestClient;
  let writer: TestClient;

  before(async () => {
    controlPlane = await startControlPlane({ crdPaths: [CRD_DIR] });
    api = testClient(controlPlane.kubeConfig(), 'imageurl-controller');
    writer = testClient(controlPlane.kubeConfig(), 'another-writer');
  });
  after(async () => {
    api.transport.close();
    writer.transport.close();
    await controlPlane?.stop();
  });

  async function namespaceFor(name: string): Promise<string> {
    await createNamespace(controlPlane?.kubeConfig() ?? assert.fail(), name);
    return name;
  }

  const get = async (namespace: string, name: string): Promise<Machine> =>
    api.client.get<Machine>(hcloudMachines, namespace, name);

  it('adds the finalizer, runs the phases and patches status with observedGeneration', async () => {
    const ns = await namespaceFor('normal');
    const running = startReconciler(api, ns, setReady);
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'm'));
      await eventually('status to be written', async () => (await get(ns, 'm')).status?.ready === true);
      const first = await get(ns, 'm');
      assert.deepEqual(first.metadata.finalizers, [FINALIZER]);
      assert.equal(first.status?.observedGeneration, first.metadata.generation);
      await api.client.mergePatch(hcloudMachines, { namespace: ns, name: 'm' }, { spec: { type: 'cpx31' } });
      await eventually('observedGeneration to follow the spec change', async () => {
        const now = await get(ns, 'm');
        return now.metadata.generation === 2 && now.status?.observedGeneration === 2;
      });
    } finally {
      await running.stop();
    }
  });

  it('retries a status patch after a concurrent write, keeping the writer’s spec and status fields', async () => {
    const ns = await namespaceFor('conflict');
    // Another writer changes spec and another status field before our first patch.
    const concurrently = once(async () => {
      const target = { namespace: ns, name: 'm' };
      await writer.client.mergePatch(hcloudMachines, target, { spec: { type: 'cpx41' } });
      const status = { status: { failureMessage: 'set by another writer' } };
      await writer.client.mergePatch(hcloudMachines, target, status, { subresource: 'status' });
    });
    const running = startReconciler(api, ns, async (scope) => {
      await concurrently();
      return setReady(scope);
    });
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'm'));
      await eventually('our status and observedGeneration to land', async () => {
        const now = await get(ns, 'm');
        return now.status?.ready === true && now.status.observedGeneration === now.metadata.generation;
      });
      const final = await get(ns, 'm');
      assert.equal(final.spec.type, 'cpx41', 'spec is the other writer’s');
      assert.equal(final.status?.failureMessage, 'set by another writer', 'their status field survives');
      assert.equal(final.status.region, 'fsn1');
      const conflicts = await api.metrics.registry
        .getSingleMetric('imageurl_status_patch_conflicts_total')
        ?.get();
      const ours = conflicts?.values.find((v) => v.labels.controller === ns)?.value ?? 0;
      assert.ok(ours >= 1, `the first status patch conflicted and was retried (${ours})`);
    } finally {
      await running.stop();
    }
  });

  it('does not overwrite a status field another writer changed meanwhile: it reconciles again', async () => {
    const ns = await namespaceFor('contended');
    const concurrently = once(async () => {
      const status = { status: { region: 'nbg1' } };
      await writer.client.mergePatch(hcloudMachines, { namespace: ns, name: 'm' }, status, {
        subresource: 'status',
      });
    });
    const running = startReconciler(api, ns, async (scope) => {
      await concurrently();
      scope.status.region ??= 'fsn1'; // decides from what it sees: keeps a region that is set
      return undefined;
    });
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'm'));
      await eventually('a second reconcile from fresh state', () => (running.runs.get('m') ?? 0) >= 2);
      await eventually(
        'observedGeneration',
        async () => (await get(ns, 'm')).status?.observedGeneration === 1,
      );
      assert.equal((await get(ns, 'm')).status?.region, 'nbg1');
    } finally {
      await running.stop();
    }
  });

  it('skips paused objects (annotation, Cluster spec.paused) and resumes when unpaused', async () => {
    const ns = await namespaceFor('paused');
    const running = startReconciler(api, ns, setReady);
    try {
      await api.client.create(clusterKind, {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'stopped', namespace: ns },
        spec: { paused: true },
      } as KubeObject);
      const inStopped = hcloudMachine(ns, 'in-stopped-cluster', {
        labels: { 'cluster.x-k8s.io/cluster-name': 'stopped' },
      });
      await api.client.create(hcloudMachines, inStopped);
      await api.client.create(
        hcloudMachines,
        hcloudMachine(ns, 'annotated', { annotations: { [PAUSED_ANNOTATION]: '' } }),
      );
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'control'));
      await eventually(
        'the unpaused control object to be reconciled',
        async () => (await get(ns, 'control')).status?.ready === true,
      );
      assert.equal(running.runs.get('in-stopped-cluster'), undefined);
      assert.equal(running.runs.get('annotated'), undefined);
      assert.equal(
        (await get(ns, 'annotated')).metadata.finalizers,
        undefined,
        'paused: not even a finalizer',
      );

      await api.client.mergePatch(
        clusterKind,
        { namespace: ns, name: 'stopped' },
        { spec: { paused: false } },
      );
      await eventually(
        'the Cluster’s member to resume',
        () => (running.runs.get('in-stopped-cluster') ?? 0) >= 1,
      );
      await api.client.mergePatch(
        hcloudMachines,
        { namespace: ns, name: 'annotated' },
        {
          metadata: { annotations: { [PAUSED_ANNOTATION]: null } },
        },
      );
      await eventually('the annotated object to resume', () => (running.runs.get('annotated') ?? 0) >= 1);
    } finally {
      await running.stop();
    }
  });

  it('reconciles the HCloudMachine a Machine references when the Machine changes', async () => {
    const ns = await namespaceFor('mapping');
    const running = startReconciler(api, ns, setReady);
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'infra'));
      await eventually('the first reconcile', async () => (await get(ns, 'infra')).status?.ready === true);
      const before = running.runs.get('infra') ?? 0;
      await api.client.create(machineKind, {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Machine',
        metadata: { name: 'machine', namespace: ns },
        spec: {
          clusterName: 'my-cluster',
          bootstrap: { dataSecretName: 'bootstrap' },
          infrastructureRef: { apiGroup: GROUP, kind: 'HCloudMachine', name: 'infra' },
        },
      } as KubeObject);
      await eventually(
        'the Machine to trigger a reconcile of its infrastructure object',
        () => (running.runs.get('infra') ?? 0) > before,
      );
    } finally {
      await running.stop();
    }
  });

  it('on deletion runs the delete phases, then removes the finalizer', async () => {
    const ns = await namespaceFor('deletion');
    const cleaned: string[] = [];
    const running = startReconciler(api, ns, setReady, (scope) => {
      cleaned.push(scope.object.metadata.name ?? '');
      return Promise.resolve(undefined);
    });
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'doomed'));
      await eventually(
        'the finalizer',
        async () => (await get(ns, 'doomed')).metadata.finalizers?.includes(FINALIZER) === true,
      );
      await api.client.delete(hcloudMachines, ns, 'doomed');
      await eventually(
        'the object to be gone',
        async () => (await api.client.find(hcloudMachines, ns, 'doomed')) === undefined,
      );
      assert.deepEqual(cleaned, ['doomed']);
    } finally {
      await running.stop();
    }
  });

  it('patches the status a failing phase wrote, then retries', async () => {
    const ns = await namespaceFor('failing');
    const running = startReconciler(api, ns, (scope) => {
      scope.status.failureMessage = 'cloud unreachable';
      return (running.runs.get('m') ?? 0) === 1
        ? Promise.reject(new Error('cloud unreachable'))
        : setReady(scope);
    });
    try {
      await api.client.create(hcloudMachines, hcloudMachine(ns, 'm'));
      await eventually('the retry to succeed', async () => (await get(ns, 'm')).status?.ready === true);
      assert.equal((await get(ns, 'm')).status?.failureMessage, 'cloud unreachable');
      assert.ok((running.runs.get('m') ?? 0) >= 2);
    } finally {
      await running.stop();
    }
  });
  it('reads its own write: a reconcile right after a status write never sees the cache from before it', async () => {
    const ns = await namespaceFor('read-your-writes');
    const created = await api.client.create(
      hcloudMachines,
      hcloudMachine(ns, 'm', { finalizers: [FINALIZER] }),
    );
    // A cache that never catches up: the worst case of a watch event still on its way.
    const cache = new Informer<Machine>(api.client, { kind: hcloudMachines, namespace: ns, log: api.log });
    cache.store.set(`${ns}/m`, created);
    const seen: (string | undefined)[] = [];
    const reconciler = new ObjectReconciler<Machine>({
      kind: hcloudMachines,
      client: api.client,
      cache,
      finalizer: FINALIZER,
      phases: [
        (scope) => {
          seen.push(scope.object.status?.region);
          scope.status.region = scope.object.status?.region === undefined ? 'fsn1' : 'nbg1';
          return Promise.resolve(undefined);
        },
      ],
    });
    const request = { key: `${ns}/m`, namespace: ns, name: 'm' };
    const context = { signal: new AbortController().signal, log: api.log, reconcileId: 'test' };
    await reconciler.reconcile(request, context);
    await reconciler.reconcile(request, context);
    assert.deepEqual(seen, [undefined, 'fsn1'], 'the second reconcile started from the first one’s write');
    assert.equal((await get(ns, 'm')).status?.region, 'nbg1');
  });
});
