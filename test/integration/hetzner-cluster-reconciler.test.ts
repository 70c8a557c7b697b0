import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLUSTERCTL_MOVE_LABEL } from '../../api/cluster-api.js';
import { examples, GROUP } from '../../api/v1beta1/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { HcloudSshKeys } from '../../src/hetzner/cloud/ssh-keys.js';
import {
  clusterKind,
  createRuntime,
  eventKind,
  resolveRuntimeOptions,
  secretKind,
  type KubeObject,
} from '../../src/kube/index.js';
import { systemClock } from '../../src/ports/clock.js';
import {
  addHetznerClusterController,
  CLAIMED_SECRET_ANNOTATION,
  FINALIZER,
  SECRET_FINALIZER,
} from '../../src/reconcilers/hetzner-cluster/index.js';
import { createNamespace } from '../support/kube-objects.js';
import {
  CRD_DIR,
  eventually,
  hcloudMachine,
  hcloudMachines,
  testClient,
  type TestClient,
} from '../support/kube-runtime-fixtures.js';
import { hetznerClusters } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface HetznerCluster extends KubeObject {
  status?: {
    ready?: boolean;
    conditions?: Condition[];
    v1beta2?: { conditions?: Condition[] };
    failureDomains?: Record<string, unknown>;
  };
}

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
}

const SECRET_RECHECK_TEST_MS = 300;
/** Far below the sync period (10 min): only the Secret recheck can notice a new Secret this soon. */
const RECHECK_DEADLINE_MS = 10_000;

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: encoded } as KubeObject;
}

/** CAPH's example HetznerCluster with SSH key `keyName`, credentials Secret `hcloud` (key `hcloud`). */
function hetznerCluster(namespace: string, keyName: string, rescueSecret?: string): KubeObject {
  const object = structuredClone(examples.hetznerCluster) as unknown as KubeObject & {
    spec: { sshKeys: Record<string, unknown> };
  };
  object.metadata = {
    name: 'my-cluster',
    namespace,
    labels: { 'cluster.x-k8s.io/cluster-name': 'my-cluster' },
  };
  object.spec.sshKeys = {
    hcloud: [{ name: keyName }],
    ...(rescueSecret
      ? {
          robotRescueSecretRef: {
            name: rescueSecret,
            key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
          },
        }
      : {}),
  };
  return object;
}

function condition(object: HetznerCluster | undefined, type: string): Condition | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

function assertWaitingForSecret(waiting: HetznerCluster | undefined): void {
  assert.equal(waiting?.status?.ready, false);
  assert.ok(waiting.metadata.finalizers?.includes(FINALIZER), 'the finalizer is set');
  assert.match(condition(waiting, 'HCloudTokenAvailable')?.message ?? '', /Secret missing-secret\/hcloud/);
  assert.equal(condition(waiting, 'Ready')?.status, 'False');
}

function assertReady(ready: HetznerCluster | undefined): void {
  for (const type of ['Ready', 'HCloudTokenAvailable', 'HetznerAPIReachable', 'HCloudSSHKeysAvailable'])
    assert.equal(condition(ready, type)?.status, 'True', type);
  assert.equal(condition(ready, 'ControlPlaneEndpointSet')?.status, 'False', 'no endpoint in the example');
  assert.deepEqual(ready?.status?.failureDomains, { fsn1: { controlPlane: true } });
}

describe('HetznerCluster reconciler (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  let closeRuntime = (): void => undefined;
  /** The controller's log lines (JSON), to see a reconcile that decided to do nothing. */
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
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
    const endpoint = cloud.sim.endpoint;
    const deps = {
      client: runtime.client,
      sshKeysFor: (token: string) => new HcloudSshKeys({ token, endpoint, backoffBaseMs: 10 }),
      clock: systemClock(),
    };
    // Missing SSH keys are looked for again after 200 ms instead of a minute, and Secrets (read
    // by name, not watched) after 300 ms instead of SECRET_RECHECK_MS.
    addHetznerClusterController(runtime, deps, {
      timings: { notFoundRetryMs: 200 },
      secretRecheckMs: SECRET_RECHECK_TEST_MS,
    });
    running = runtime.manager.run(stop.signal);
    running.catch(() => undefined);
    closeRuntime = () => runtime.transport.close();
  });

  after(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    closeRuntime();
    api.transport.close();
    await cloud?.stop();
    await controlPlane?.stop();
  });

  const get = (ns: string): Promise<HetznerCluster | undefined> =>
    api.client.find<HetznerCluster>(hetznerClusters, ns, 'my-cluster');

  async function events(ns: string): Promise<EventObject[]> {
    return (await api.client.list<EventObject>(eventKind, { namespace: ns })).items;
  }

  async function namespaceWithKey(ns: string, keyName: string): Promise<void> {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    await createNamespace(cp.kubeConfig(), ns);
    const pair = generateSshKeyPair(keyName);
    const created = await sim.api.call('POST', '/ssh_keys', {
      name: `${ns}-${keyName}`,
      public_key: pair.publicKey,
    });
    assert.equal(created.status, 201);
  }

  it('reports a missing Secret (condition + Warning event), then becomes ready once it exists', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'missing-secret';
    await namespaceWithKey(ns, 'key');
    await api.client.create(hetznerClusters, hetznerCluster(ns, `${ns}-key`));

    await eventually('HCloudTokenAvailable False', async () => {
      return condition(await get(ns), 'HCloudTokenAvailable')?.reason === 'HetznerSecretUnreachable';
    });
    assertWaitingForSecret(await get(ns));
    await eventually('a Warning event naming the Secret', async () =>
      (await events(ns)).some(
        (event) =>
          event.type === 'Warning' &&
          event.reason === 'HetznerSecretUnreachable' &&
          (event.note ?? '').includes('Secret missing-secret/hcloud (spec.hetznerSecretRef.name) not found'),
      ),
    );

    // Secrets are not watched: the recheck reads the Secret again while it is missing.
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    await eventually(
      'ready, within the Secret recheck',
      async () => (await get(ns))?.status?.ready === true,
      RECHECK_DEADLINE_MS,
    );
    const ready = await get(ns);
    assertReady(ready);
    const stored = await api.client.get<KubeObject>(secretKind, ns, 'hcloud');
    assert.ok(stored.metadata.finalizers?.includes(SECRET_FINALIZER), 'the Secret is kept while used');
    assert.equal(ready?.metadata.annotations?.[CLAIMED_SECRET_ANNOTATION], 'hcloud', 'the claim is recorded');
    const everything = JSON.stringify({ ready, events: await events(ns) });
    assert.ok(!everything.includes(sim.sim.token), 'the token appears in no status and no event');
  });

  it('names an SSH key the project does not have, and recovers once it is added', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'unknown-key';
    await namespaceWithKey(ns, 'other');
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    await api.client.create(hetznerClusters, hetznerCluster(ns, 'no-such-key'));

    await eventually('HCloudSSHKeysAvailable False', async () => {
      return condition(await get(ns), 'HCloudSSHKeysAvailable')?.reason === 'SSHKeyNotFound';
    });
    const failing = await get(ns);
    assert.equal(failing?.status?.ready, false);
    assert.equal(
      condition(failing, 'HCloudSSHKeysAvailable')?.message,
      'SSH key "no-such-key" (spec.sshKeys.hcloud[0].name) does not exist in the Hetzner Cloud project',
    );
    assert.equal(condition(failing, 'HCloudTokenAvailable')?.status, 'True');
    await eventually('a Warning event SSHKeyNotFound', async () =>
      (await events(ns)).some((event) => event.type === 'Warning' && event.reason === 'SSHKeyNotFound'),
    );

    const pair = generateSshKeyPair('late');
    await sim.api.call('POST', '/ssh_keys', { name: 'no-such-key', public_key: pair.publicKey });
    await eventually('ready once the key exists', async () => (await get(ns))?.status?.ready === true);
  });

  it('reports an empty token key, a refused token and a missing rescue key Secret', async () => {
    const ns = 'bad-credentials';
    await namespaceWithKey(ns, 'key');
    await api.client.create(secretKind, secret(ns, 'hcloud', { other: 'x' }));
    await api.client.create(hetznerClusters, hetznerCluster(ns, `${ns}-key`, 'robot-ssh'));
    await eventually('HCloudCredentialsInvalid for the empty key', async () => {
      const message = condition(await get(ns), 'HCloudTokenAvailable')?.message ?? '';
      return message.includes('has no value under key "hcloud" (spec.hetznerSecretRef.key.hcloudToken)');
    });
    const rescue = condition(await get(ns), 'SSHPrivateKeyAvailable');
    assert.deepEqual(rescue?.reason, 'SSHPrivateKeySecretNotFound');
    assert.match(
      rescue.message ?? '',
      /Secret bad-credentials\/robot-ssh \(spec\.sshKeys\.robotRescueSecretRef\.name\)/,
    );

    await api.client.mergePatch(
      secretKind,
      { namespace: ns, name: 'hcloud' },
      { data: { hcloud: b64('wrong') } },
    );
    await eventually(
      'the refused token, within the Secret recheck',
      async () => {
        const found = condition(await get(ns), 'HCloudTokenAvailable');
        return found?.reason === 'HCloudCredentialsInvalid' && (found.message ?? '').includes('refused');
      },
      RECHECK_DEADLINE_MS,
    );
    const status = JSON.stringify(await get(ns));
    assert.ok(!status.includes('"wrong"') && !status.includes(b64('wrong')), 'no token value in the status');
  });

  it('does nothing while its Cluster is paused, and catches up once it is not', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'paused';
    await namespaceWithKey(ns, 'key');
    const object = hetznerCluster(ns, `${ns}-key`);
    object.metadata.labels = {}; // found through the Cluster's infrastructureRef
    await api.client.create(hetznerClusters, object);
    await eventually(
      'waiting for the Secret',
      async () => condition(await get(ns), 'Ready')?.status === 'False',
    );
    const pausedLines = (): number =>
      logLines.filter(
        (line) =>
          line['msg'] === 'Reconciliation is paused for this object' &&
          line['HetznerCluster'] === `${ns}/my-cluster`,
      ).length;
    await api.client.create(clusterKind, {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'paused-cluster', namespace: ns },
      spec: {
        paused: true,
        infrastructureRef: { apiGroup: GROUP, kind: 'HetznerCluster', name: 'my-cluster' },
      },
    } as KubeObject);
    await eventually('a reconcile that sees the pause', () => pausedLines() > 0);
    const before = pausedLines();
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    // A change of the HetznerCluster itself brings a reconcile (Secrets are not watched).
    await api.client.mergePatch(
      hetznerClusters,
      { namespace: ns, name: 'my-cluster' },
      { metadata: { annotations: { 'test.imageurl.io/touched': 'yes' } } },
    );
    await eventually('a reconcile after the Secret exists, paused too', () => pausedLines() > before);
    assert.equal((await get(ns))?.status?.ready, false, 'nothing was checked while paused');

    await api.client.mergePatch(
      clusterKind,
      { namespace: ns, name: 'paused-cluster' },
      { spec: { paused: false } },
    );
    await eventually('ready once unpaused', async () => (await get(ns))?.status?.ready === true);
  });

  it('labels the Secrets it names for clusterctl move (token and rescue key), and only those', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'move-labels';
    await namespaceWithKey(ns, 'key');
    const pair = generateSshKeyPair('rescue');
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    await api.client.create(
      secretKind,
      secret(ns, 'rescue-ssh', {
        'sshkey-name': 'rescue',
        'ssh-publickey': pair.publicKey,
        'ssh-privatekey': pair.privateKey,
      }),
    );
    await api.client.create(secretKind, secret(ns, 'unrelated', { other: 'value' }));
    await api.client.create(hetznerClusters, hetznerCluster(ns, `${ns}-key`, 'rescue-ssh'));
    await eventually('ready', async () => (await get(ns))?.status?.ready === true);
    const labels = async (name: string): Promise<Record<string, string> | undefined> =>
      (await api.client.get<KubeObject>(secretKind, ns, name)).metadata.labels;
    // clusterctl moves a Secret no Cluster owns only when it carries this label.
    assert.equal((await labels('hcloud'))?.[CLUSTERCTL_MOVE_LABEL], '', 'the credentials Secret');
    assert.equal((await labels('rescue-ssh'))?.[CLUSTERCTL_MOVE_LABEL], '', 'the rescue key Secret');
    assert.equal(
      (await labels('unrelated'))?.[CLUSTERCTL_MOVE_LABEL],
      undefined,
      'a Secret it does not name',
    );
  });

  it('releases the credentials Secret it no longer names and claims the new one', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'switch';
    await namespaceWithKey(ns, 'key');
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    await api.client.create(secretKind, secret(ns, 'hcloud-2', { hcloud: sim.sim.token }));
    await api.client.create(hetznerClusters, hetznerCluster(ns, `${ns}-key`));
    await eventually('ready', async () => (await get(ns))?.status?.ready === true);
    const finalizersOf = async (name: string): Promise<string[]> =>
      (await api.client.get<KubeObject>(secretKind, ns, name)).metadata.finalizers ?? [];
    assert.ok((await finalizersOf('hcloud')).includes(SECRET_FINALIZER));

    await api.client.mergePatch(
      hetznerClusters,
      { namespace: ns, name: 'my-cluster' },
      { spec: { hetznerSecretRef: { name: 'hcloud-2' } } },
    );
    await eventually(
      'the old Secret released, the new one claimed',
      async () =>
        !(await finalizersOf('hcloud')).includes(SECRET_FINALIZER) &&
        (await finalizersOf('hcloud-2')).includes(SECRET_FINALIZER) &&
        (await get(ns))?.metadata.annotations?.[CLAIMED_SECRET_ANNOTATION] === 'hcloud-2',
    );
  });

  it('waits for the cluster’s machines before it goes, then releases the Secret', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'deletion';
    await namespaceWithKey(ns, 'key');
    await api.client.create(secretKind, secret(ns, 'hcloud', { hcloud: sim.sim.token }));
    await api.client.create(hetznerClusters, hetznerCluster(ns, `${ns}-key`));
    const machine = hcloudMachine(ns, 'worker-1', {
      labels: { 'cluster.x-k8s.io/cluster-name': 'my-cluster' },
      finalizers: ['test.imageurl.io/hold'],
    });
    await api.client.create(hcloudMachines, machine);
    await eventually('ready', async () => (await get(ns))?.status?.ready === true);

    await api.client.delete(hetznerClusters, ns, 'my-cluster');
    await eventually('the WaitingForMachineDeletion event', async () =>
      (await events(ns)).some(
        (event) =>
          event.reason === 'WaitingForMachineDeletion' &&
          (event.note ?? '').includes('HCloudMachine worker-1'),
      ),
    );
    assert.ok((await get(ns))?.metadata.deletionTimestamp, 'still there while a machine exists');
    const stillKept = await api.client.get<KubeObject>(secretKind, ns, 'hcloud');
    assert.ok(stillKept.metadata.finalizers?.includes(SECRET_FINALIZER));

    await api.client.mergePatch(
      hcloudMachines,
      { namespace: ns, name: 'worker-1' },
      { metadata: { finalizers: null } },
    );
    await api.client.delete(hcloudMachines, ns, 'worker-1');
    await eventually('the HetznerCluster to be gone', async () => (await get(ns)) === undefined);
    const released = await api.client.get<KubeObject>(secretKind, ns, 'hcloud');
    assert.ok(!released.metadata.finalizers?.includes(SECRET_FINALIZER), 'the Secret is released');
  });
});
