import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import {
  clusterKind,
  createRuntime,
  eventKind,
  machineKind,
  resolveRuntimeOptions,
  type KubeObject,
} from '../../src/kube/index.js';
import { systemClock } from '../../src/ports/clock.js';
import {
  addHetznerBareMetalMachineController,
  FINALIZER,
  HOST_ANNOTATION,
  REMEDIATE_ANNOTATION,
} from '../../src/reconcilers/hetzner-bare-metal-machine/index.js';
import { writeHost } from '../../src/reconcilers/hetzner-bare-metal-machine/host-writes.js';
import {
  bareMetalHostsKind,
  bareMetalMachinesKind,
  CLUSTER,
  condition,
  createBareMetalCluster,
  createBareMetalMachine,
  createHost,
  setHostStatus,
  type BareMetalHost,
  type BareMetalMachine,
} from '../support/bare-metal-objects.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
}

describe('HetznerBareMetalMachine reconciler (kube-apiserver; the test acts as the host controller)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let api: TestClient;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  let closeRuntime = (): void => undefined;
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    controlPlane = await startControlPlane({ crdPaths: [CRD_DIR] });
    api = testClient(controlPlane.kubeConfig());
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': '0',
        'health-probe-bind-address': '0',
        'log-level': 'info',
      },
      {},
    );
    const logDestination = {
      write: (line: string): void => {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.IMAGEURL_TEST_LOG) process.stdout.write(line);
      },
    };
    const runtime = createRuntime(options, { env: {}, logDestination });
    // The no-host requeue stays long: a machine waiting for a host must be woken by the host's
    // own change (the watch), not by the timer.
    addHetznerBareMetalMachineController(
      runtime,
      { client: runtime.client, clock: systemClock() },
      { timings: { noHostRequeueMs: 10 * 60_000, ownersRequeueMs: 200, deprovisionRequeueMs: 10 * 60_000 } },
    );
    running = runtime.manager.run(stop.signal);
    running.catch(() => undefined);
    closeRuntime = () => runtime.transport.close();
  });

  after(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    closeRuntime();
    api.transport.close();
    await controlPlane?.stop();
  });

  const machine = (ns: string, name: string): Promise<BareMetalMachine | undefined> =>
    api.client.find<BareMetalMachine>(bareMetalMachinesKind, ns, name);
  const host = (ns: string, name: string): Promise<BareMetalHost> =>
    api.client.get<BareMetalHost>(bareMetalHostsKind, ns, name);
  const events = async (ns: string): Promise<EventObject[]> =>
    (await api.client.list<EventObject>(eventKind, { namespace: ns })).items;

  async function namespace(
    ns: string,
    options: Parameters<typeof createBareMetalCluster>[2] = {},
  ): Promise<void> {
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    await createBareMetalCluster(api.client, ns, options);
  }

  it('waits for bootstrap data, then claims the host its selector matches and copies the machine to it', async () => {
    const ns = 'selection';
    await namespace(ns);
    await createHost(api.client, ns, 'bm-a', { serverID: 101, labels: { pool: 'a' } });
    await createHost(api.client, ns, 'bm-b', { serverID: 102, labels: { pool: 'b' } });
    await createBareMetalMachine(api.client, ns, 'worker-1', {
      hostSelector: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['b'] }] },
      bootstrapReady: false,
    });
    await eventually('BootstrapReady False', async () => {
      return condition(await machine(ns, 'worker-1'), 'BootstrapReady')?.reason === 'BootstrapNotReady';
    });
    assert.equal(
      (await host(ns, 'bm-b')).spec.consumerRef,
      undefined,
      'no host claimed without bootstrap data',
    );

    await api.client.mergePatch(
      machineKind,
      { namespace: ns, name: 'worker-1' },
      { spec: { bootstrap: { dataSecretName: 'bootstrap-worker-1' } } },
    );
    await eventually('associated (status written after the host and the annotation)', async () => {
      return condition(await machine(ns, 'worker-1'), 'HostAssociateSucceeded')?.status === 'True';
    });
    assertClaimed(await host(ns, 'bm-b'), (await machine(ns, 'worker-1')) ?? assert.fail(), ns);
    assert.equal((await host(ns, 'bm-a')).spec.consumerRef, undefined, 'the other host is untouched');
    await eventually('the HostAssociated event', async () =>
      (await events(ns)).some(
        (e) => e.reason === 'HostAssociated' && (e.note ?? '').includes('bm-b (server 102)'),
      ),
    );
  });

  it('says when the selector matches no host at all, and claims one as soon as a host matches', async () => {
    const ns = 'no-match';
    await namespace(ns);
    await createHost(api.client, ns, 'bm-1', { serverID: 201, labels: { pool: 'a' } });
    await createBareMetalMachine(api.client, ns, 'worker-1', {
      hostSelector: { matchLabels: { pool: 'gpu' } },
    });
    await eventually('NoAvailableHost', async () => {
      return condition(await machine(ns, 'worker-1'), 'HostAssociateSucceeded')?.reason === 'NoAvailableHost';
    });
    const waiting = await machine(ns, 'worker-1');
    assert.equal(
      condition(waiting, 'HostAssociateSucceeded')?.message,
      `no available host (the hostSelector (pool=gpu) matches none of the 1 HetznerBareMetalHosts in namespace ${ns})`,
    );
    assert.equal(condition(waiting, 'Ready')?.reason, 'NoAvailableHost');
    assert.equal(waiting?.status?.phase, 'Pending');

    // The no-host requeue is 10 minutes: only the host's watch event can wake the machine.
    await api.client.mergePatch(
      bareMetalHostsKind,
      { namespace: ns, name: 'bm-1' },
      { metadata: { labels: { pool: 'gpu' } } },
    );
    await eventually(
      'the host claimed',
      async () => (await host(ns, 'bm-1')).spec.consumerRef?.name === 'worker-1',
    );
  });

  it('never lets two writers claim the same host version (resourceVersion-conditional write)', async () => {
    const ns = 'claim-race';
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    await createHost(api.client, ns, 'bm-1', { serverID: 301 });
    const read = await host(ns, 'bm-1');
    const claimFor = (name: string): ReturnType<typeof writeHost> =>
      writeHost(api.client, read as unknown as Parameters<typeof writeHost>[1], {
        spec: { consumerRef: { kind: 'HetznerBareMetalMachine', name, namespace: ns } },
      });
    const outcomes = await Promise.all([claimFor('m-1'), claimFor('m-2')]);
    const written = outcomes.filter((outcome) => outcome !== 'conflict');
    assert.equal(written.length, 1, 'exactly one write wins, the other gets a conflict');
    assert.equal((await host(ns, 'bm-1')).spec.consumerRef?.name, written[0]?.spec.consumerRef?.name);
  });

  it('two machines racing for one host: one wins, the other waits, then takes the host once it is released', async () => {
    const ns = 'race';
    await namespace(ns, { paused: true });
    await createHost(api.client, ns, 'bm-1', { serverID: 401 });
    await Promise.all([
      createBareMetalMachine(api.client, ns, 'm-1'),
      createBareMetalMachine(api.client, ns, 'm-2'),
    ]);
    // Unpausing the Cluster enqueues both machines at once; four workers reconcile them together.
    await api.client.mergePatch(clusterKind, { namespace: ns, name: CLUSTER }, { spec: { paused: false } });
    const associated = async (): Promise<string[]> => {
      const all = await Promise.all(['m-1', 'm-2'].map((name) => machine(ns, name)));
      return all
        .filter((m) => condition(m, 'HostAssociateSucceeded')?.status === 'True')
        .map((m) => m?.metadata.name ?? '');
    };
    // Both machines' status writes must have landed: the loser's may come before the winner's.
    await eventually('one associated, the other waiting', async () => {
      const all = await Promise.all(['m-1', 'm-2'].map((name) => machine(ns, name)));
      const waiting = all.filter((m) => condition(m, 'HostAssociateSucceeded')?.reason === 'NoAvailableHost');
      return waiting.length === 1 && (await associated()).length === 1;
    });
    const [winner] = await associated();
    assert.ok(winner, 'one machine won');
    const loser = winner === 'm-1' ? 'm-2' : 'm-1';
    assert.deepEqual(await associated(), [winner], 'exactly one machine is associated');
    assert.equal((await host(ns, 'bm-1')).spec.consumerRef?.name, winner);
    const waiting = await machine(ns, loser);
    assert.equal(
      condition(waiting, 'HostAssociateSucceeded')?.message,
      'no available host (all hosts are in use - found 1 hosts)',
    );
    assert.equal(waiting?.metadata.annotations?.[HOST_ANNOTATION], undefined);

    // The host never left state "" (no host controller here), so deletion releases it at once.
    await api.client.delete(bareMetalMachinesKind, ns, winner);
    await eventually('the winner gone', async () => (await machine(ns, winner)) === undefined);
    await eventually(
      'the loser claims the released host',
      async () => (await host(ns, 'bm-1')).spec.consumerRef?.name === loser,
    );
    const claimed = await host(ns, 'bm-1');
    assert.deepEqual(
      claimed.metadata.ownerReferences?.map((ref) => ref.name),
      [loser],
    );
    assert.deepEqual(claimed.spec.status?.['userData'], { namespace: ns, name: `bootstrap-${loser}` });
  });

  it('mirrors the host: provisioned → providerID, ready, addresses; deleting waits for deprovisioning, then releases', async () => {
    const ns = 'mirror';
    await namespace(ns);
    await createHost(api.client, ns, 'bm-1', { serverID: 501, labels: { pool: 'a' } });
    await createBareMetalMachine(api.client, ns, 'worker-1');
    await eventually('claimed', async () => (await host(ns, 'bm-1')).spec.consumerRef?.name === 'worker-1');

    await setHostStatus(api.client, ns, 'bm-1', {
      provisioningState: 'image-installing',
      ipv4: '203.0.113.7',
    });
    await eventually('HostReady names the state', async () => {
      const message = condition(await machine(ns, 'worker-1'), 'HostReady')?.message ?? '';
      return message.includes('state "image-installing"');
    });
    assert.equal((await machine(ns, 'worker-1'))?.status?.ready, false);

    await setHostStatus(api.client, ns, 'bm-1', {
      provisioningState: 'provisioned',
      ipv6: '2001:db8::1',
      hardwareDetails: { nics: [{ name: 'eth0', ip: '203.0.113.7/26' }] },
    });
    await eventually('ready', async () => (await machine(ns, 'worker-1'))?.status?.ready === true);
    assertProvisioned((await machine(ns, 'worker-1')) ?? assert.fail());

    await api.client.delete(bareMetalMachinesKind, ns, 'worker-1');
    await eventually('installImage and userData cleared', async () => {
      const status = (await host(ns, 'bm-1')).spec.status ?? {};
      return status['installImage'] === undefined && status['userData'] === undefined;
    });
    await eventually('the machine waits for the host to deprovision', async () => {
      const deleting = (await machine(ns, 'worker-1'))?.status?.v1beta2?.conditions?.find(
        (c) => c.type === 'Deleting',
      );
      return deleting?.message === 'Waiting for host to deprovision (state: provisioned)';
    });
    assert.equal(
      (await host(ns, 'bm-1')).spec.consumerRef?.name,
      'worker-1',
      'still consumed while deprovisioning',
    );

    await setHostStatus(api.client, ns, 'bm-1', { provisioningState: 'deprovisioning' });
    await setHostStatus(api.client, ns, 'bm-1', { provisioningState: '' });
    await eventually('the machine gone', async () => (await machine(ns, 'worker-1')) === undefined);
    assertReleased(await host(ns, 'bm-1'));
  });

  it('a fatal host error: remediation asked on the Machine, failureReason set, Warning event', async () => {
    const ns = 'fatal';
    await namespace(ns);
    await createHost(api.client, ns, 'bm-1', { serverID: 601 });
    await createBareMetalMachine(api.client, ns, 'worker-1');
    await eventually('claimed', async () => (await host(ns, 'bm-1')).spec.consumerRef?.name === 'worker-1');
    await setHostStatus(api.client, ns, 'bm-1', {
      provisioningState: 'image-installing',
      errorType: 'fatal error',
      errorMessage: 'ImageURLCommand timed out after 7m0s. Deleting machine',
    });
    await eventually(
      'failureReason',
      async () => (await machine(ns, 'worker-1'))?.status?.failureReason === 'CreateError',
    );
    assertFailed((await machine(ns, 'worker-1')) ?? assert.fail());
    const owner = await api.client.get<KubeObject>(machineKind, ns, 'worker-1');
    assert.equal(owner.metadata.annotations?.[REMEDIATE_ANNOTATION], '');
    await eventually('the MachineWillBeDeleted event', async () =>
      (await events(ns)).some((e) => e.type === 'Warning' && e.reason === 'MachineWillBeDeleted'),
    );
  });
});

function assertClaimed(claimed: BareMetalHost, object: BareMetalMachine, ns: string): void {
  const status = claimed.spec.status ?? {};
  assert.deepEqual(claimed.spec.consumerRef, {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'HetznerBareMetalMachine',
    name: 'worker-1',
    namespace: ns,
  });
  assert.deepEqual(status['installImage'], object.spec.installImage, 'image.url and imageURLCommand');
  assert.deepEqual(status['userData'], { namespace: ns, name: 'bootstrap-worker-1' });
  assert.deepEqual(status['sshSpec'], object.spec.sshSpec);
  assert.equal(status['hetznerClusterRef'], CLUSTER);
  assert.equal(claimed.metadata.labels?.['cluster.x-k8s.io/cluster-name'], CLUSTER);
  assert.deepEqual(
    claimed.metadata.ownerReferences?.map((ref) => [ref.kind, ref.name, ref.controller]),
    [['HetznerBareMetalMachine', 'worker-1', true]],
  );
  assert.equal(object.metadata.annotations?.[HOST_ANNOTATION], `${ns}/bm-b`);
  assert.ok(object.metadata.finalizers?.includes(FINALIZER));
  assert.equal(object.status?.phase, 'Provisioning');
  assert.equal(object.spec.providerID, undefined, 'no providerID before the host is provisioned');
  assert.equal(condition(object, 'HostAssociateSucceeded')?.status, 'True');
  assert.equal(condition(object, 'HostReady')?.message, 'host (bm-b) is still provisioning - state ""');
}

function assertProvisioned(ready: BareMetalMachine): void {
  const status = ready.status ?? {};
  assert.equal(ready.spec.providerID, 'hcloud://bm-501');
  assert.equal(status.phase, 'Running');
  assert.deepEqual(status.addresses, [
    { type: 'ExternalIP', address: '203.0.113.7' },
    { type: 'ExternalIP', address: '2001:db8::1' },
    { type: 'Hostname', address: 'worker-1' },
    { type: 'InternalDNS', address: 'worker-1' },
  ]);
  for (const type of ['Ready', 'BootstrapReady', 'HostAssociateSucceeded', 'HostReady', 'ServerAvailable'])
    assert.equal(condition(ready, type)?.status, 'True', type);
}

function assertReleased(released: BareMetalHost): void {
  const status = released.spec.status ?? {};
  assert.equal(released.spec.consumerRef, undefined);
  assert.equal(status['sshSpec'], undefined);
  assert.equal(status['hetznerClusterRef'], '');
  assert.deepEqual(released.metadata.ownerReferences ?? [], []);
  assert.deepEqual(
    released.metadata.labels,
    { pool: 'a' },
    'the cluster label is gone, the user’s labels stay',
  );
}

function assertFailed(failed: BareMetalMachine): void {
  const status = failed.status ?? {};
  assert.equal(
    status.failureMessage,
    'host bm-1 has a fatal error: ImageURLCommand timed out after 7m0s. Deleting machine',
  );
  assert.equal(status.phase, 'Deleting');
  assert.equal(status.ready, false);
}
