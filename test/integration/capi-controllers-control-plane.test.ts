// Cluster API 1.14's own managers (core, kubeadm bootstrap, kubeadm control plane) drive
// imageurl, as in a management cluster: a Cluster from the shipped hcloud-image-url template
// with a KubeadmControlPlane of one. There is no workload cluster here (no Node ever registers),
// so the Machine ends at phase Provisioned: its infrastructure is done, the rest is kubelet's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLUSTERCTL_MOVE_LABEL } from '../../api/cluster-api.js';
import type { KubeObject } from '../../src/kube/index.js';
import { startCapiEnv, type CapiEnv } from '../support/capi-controllers.js';
import { cloudResources, createCapiCluster, kinds, listIn } from '../support/capi-cluster-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
import { deleteNamespaceAndWait } from '../support/kube-objects.js';

const NS = 'capi-cp';
const CLUSTER = 'cp';
const PROVISION_DEADLINE_MS = 300_000;

interface Address {
  readonly type: string;
  readonly address: string;
}
interface MachineView extends KubeObject {
  spec: {
    providerID?: string;
    bootstrap?: { dataSecretName?: string };
    infrastructureRef?: { name?: string };
  };
  status?: {
    phase?: string;
    addresses?: Address[];
    nodeRef?: unknown;
    initialization?: { infrastructureProvisioned?: boolean; bootstrapDataSecretCreated?: boolean };
  };
}
interface HCloudMachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; ready?: boolean; addresses?: Address[] };
}

describe('Cluster API 1.14 managers drive imageurl: KubeadmControlPlane (kube-apiserver, Cloud simulator)', () => {
  let env: CapiEnv | undefined;

  before(async () => {
    env = await startCapiEnv();
    await createCapiCluster(env, { namespace: NS, name: CLUSTER, workers: 0 });
  });

  after(async () => {
    await env?.stop();
  });

  const controlPlaneMachine = async (e: CapiEnv): Promise<MachineView | undefined> =>
    (await listIn<MachineView>(e, kinds.machine, NS, 'cluster.x-k8s.io/control-plane'))[0];

  /** What Cluster API copied from the HCloudMachine, and what it reports about the Machine. */
  function assertCopiedFrom(machine: MachineView, infra: HCloudMachineView): void {
    const status = machine.status ?? assert.fail('the Machine has no status');
    const infraStatus = infra.status ?? assert.fail('the HCloudMachine has no status');
    assert.equal(infraStatus.bootState, 'OperatingSystemRunning');
    assert.equal(infraStatus.ready, true);
    assert.match(machine.spec.providerID ?? '', /^hcloud:\/\/\d+$/, 'Cluster API copied the providerID');
    assert.equal(machine.spec.providerID, infra.spec.providerID);
    assert.deepEqual(status.addresses, infraStatus.addresses, 'Cluster API copied the addresses');
    assert.ok((status.addresses ?? []).length > 0, 'the server has addresses');
    assert.equal(status.initialization?.infrastructureProvisioned, true);
    assert.equal(status.initialization.bootstrapDataSecretCreated, true);
    assert.equal(status.nodeRef, undefined, 'no Node without a workload cluster');
  }

  /** The data the server was installed with is CABPK's `kubeadm init` cloud-config. */
  async function assertInitData(e: CapiEnv, machine: MachineView): Promise<void> {
    const name = machine.spec.bootstrap?.dataSecretName ?? assert.fail('no bootstrap data');
    const secret = await e.api.client.get<KubeObject & { data?: Record<string, string> }>(
      kinds.secret,
      NS,
      name,
    );
    assert.match(Buffer.from(secret.data?.['value'] ?? '', 'base64').toString(), /kubeadm init/);
  }

  it('KubeadmControlPlane makes the Machine, CABPK its init data, imageurl its server: Provisioned', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await eventually(
        'the control-plane Machine in phase Provisioned',
        async () => (await controlPlaneMachine(e))?.status?.phase === 'Provisioned',
        PROVISION_DEADLINE_MS,
      );
      const machine = (await controlPlaneMachine(e)) ?? assert.fail();
      const infraName = machine.spec.infrastructureRef?.name ?? assert.fail('no infrastructureRef');
      assertCopiedFrom(
        machine,
        await e.api.client.get<HCloudMachineView>(kinds.hcloudMachine, NS, infraName),
      );
      await assertInitData(e, machine);
      const { servers } = await cloudResources(e);
      const providerIDs = servers.map((server) => `hcloud://${String((server as { id: number }).id)}`);
      assert.deepEqual(providerIDs, [machine.spec.providerID], 'one server, the Machine’s');
    });
  });

  it('serves the v1beta1 API through Cluster API’s conversion webhooks', async () => {
    const e = env ?? assert.fail();
    const machine = (await controlPlaneMachine(e)) ?? assert.fail();
    const v1beta1 = { ...kinds.machine, version: 'v1beta1' };
    const old = await e.api.client.get<
      KubeObject & { spec: { infrastructureRef?: { apiVersion?: string } } }
    >(v1beta1, NS, machine.metadata.name ?? '');
    // v1beta2 references carry apiGroup; only the conversion webhook gives back v1beta1's
    // apiVersion, the version our CRDs' label names for Cluster API's v1beta2 contract.
    assert.equal(old.spec.infrastructureRef?.apiVersion, 'infrastructure.cluster.x-k8s.io/v1beta2');
  });

  it('labels the Secrets the cluster names for clusterctl move', async () => {
    const e = env ?? assert.fail();
    for (const name of ['hetzner', 'hetzner-ssh']) {
      const secret = await e.api.client.get<KubeObject>(kinds.secret, NS, name);
      assert.equal(secret.metadata.labels?.[CLUSTERCTL_MOVE_LABEL], '', name);
    }
  });

  const PAUSED = 'Reconciliation is paused for this object';
  const pauses = [
    ['spec.paused', { spec: { paused: true } }, { spec: { paused: false } }],
    [
      'the cluster.x-k8s.io/paused annotation',
      { metadata: { annotations: { 'cluster.x-k8s.io/paused': '' } } },
      { metadata: { annotations: { 'cluster.x-k8s.io/paused': null } } },
    ],
  ] as const;
  for (const [form, pause, resume] of pauses) {
    it(`pausing the Cluster by ${form} stops imageurl’s Hetzner calls; unpausing resumes them`, async () => {
      const e = env ?? assert.fail();
      await e.explain(async () => {
        const infraName = (await controlPlaneMachine(e))?.spec.infrastructureRef?.name ?? assert.fail();
        const ours = [
          ['HetznerCluster', kinds.hetznerCluster, CLUSTER],
          ['HCloudMachine', kinds.hcloudMachine, infraName],
        ] as const;
        const pausedSeen = (): number[] =>
          ours.map(
            ([kind, , name]) =>
              e.logLines.filter((line) => line['msg'] === PAUSED && line[kind] === `${NS}/${name}`).length,
          );
        const moreThan = (before: number[]): boolean => pausedSeen().every((n, i) => n > (before[i] ?? 0));
        const target = { namespace: NS, name: CLUSTER };

        const unpaused = pausedSeen();
        await e.api.client.mergePatch(kinds.cluster, target, pause);
        await eventually('imageurl sees the pause on both objects', () => moreThan(unpaused));
        e.cloud.sim.requests.reset();
        const seen = pausedSeen();
        // Changes that bring each object a reconcile; while paused it must call nothing.
        for (const [, kind, name] of ours)
          await e.api.client.mergePatch(
            kind,
            { namespace: NS, name },
            {
              metadata: { annotations: { 'test.imageurl.io/touched': form } },
            },
          );
        await eventually('both reconciled again, still paused', () => moreThan(seen));
        assert.deepEqual(e.cloud.sim.requests.recent(), [], 'no Hetzner request while paused');

        await e.api.client.mergePatch(kinds.cluster, target, resume);
        await eventually(
          'Hetzner requests again once unpaused',
          () => e.cloud.sim.requests.counters().total > 0,
        );
      });
    });
  }

  it('deleting the Cluster removes every server, load balancer, placement group and finalizer; the namespace goes', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await e.api.client.delete(kinds.cluster, NS, CLUSTER);
      await eventually(
        'the Cluster gone',
        async () => (await e.api.client.find(kinds.cluster, NS, CLUSTER)) === undefined,
        PROVISION_DEADLINE_MS,
      );
      assert.deepEqual(await cloudResources(e), { servers: [], load_balancers: [], placement_groups: [] });
      for (const kind of [
        kinds.machine,
        kinds.hcloudMachine,
        kinds.hetznerCluster,
        kinds.kubeadmControlPlane,
      ]) {
        const left = (await listIn(e, kind, NS)).map((object) => object.metadata.name);
        assert.deepEqual(left, [], `no ${kind.kind} left`);
      }
      // Nothing left holds a finalizer, so deleting the namespace completes.
      const held = (await listIn(e, kinds.secret, NS)).filter(
        (s) => (s.metadata.finalizers ?? []).length > 0,
      );
      assert.deepEqual(
        held.map((s) => `${s.metadata.name ?? ''}: ${(s.metadata.finalizers ?? []).join(', ')}`),
        [],
        'no Secret holds a finalizer',
      );
      await deleteNamespaceAndWait(e.controlPlane.kubeConfig(), NS, PROVISION_DEADLINE_MS);
    });
  });
});
