import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { examples } from '../../api/v1beta1/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { HcloudSshKeys } from '../../src/hetzner/cloud/ssh-keys.js';
import {
  createRuntime,
  resolveRuntimeOptions,
  secretKind,
  WATCH_FILTER_LABEL,
  type KubeObject,
} from '../../src/kube/index.js';
import { systemClock } from '../../src/ports/clock.js';
import { addHetznerClusterController } from '../../src/reconcilers/hetzner-cluster/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { hetznerClusters } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const NS = 'watch-filter';
const KEY = 'watch-filter-key';

interface HetznerCluster extends KubeObject {
  status?: { ready?: boolean };
}

function hetznerCluster(name: string, labels: Record<string, string>): KubeObject {
  const object = structuredClone(examples.hetznerCluster) as unknown as KubeObject & {
    spec: { sshKeys: Record<string, unknown> };
  };
  object.metadata = { name, namespace: NS, labels: { 'cluster.x-k8s.io/cluster-name': name, ...labels } };
  object.spec.sshKeys = { hcloud: [{ name: KEY }] };
  return object;
}

describe('--watch-filter (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  let closeRuntime = (): void => undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    await createNamespace(controlPlane.kubeConfig(), NS);
    const created = await cloud.api.call('POST', '/ssh_keys', {
      name: KEY,
      public_key: generateSshKeyPair(KEY).publicKey,
    });
    assert.equal(created.status, 201);
    const token = Buffer.from(cloud.sim.token).toString('base64');
    await api.client.create(secretKind, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hcloud', namespace: NS },
      data: { hcloud: token },
    } as KubeObject);
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': '0',
        'health-probe-bind-address': '0',
        'log-level': 'silent',
      },
      { IMAGEURL_WATCH_FILTER: 'team-a' },
    );
    const runtime = createRuntime(options, { env: {} });
    const endpoint = cloud.sim.endpoint;
    addHetznerClusterController(runtime, {
      client: runtime.client,
      sshKeysFor: (t: string) => new HcloudSshKeys({ token: t, endpoint, backoffBaseMs: 10 }),
      clock: systemClock(),
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

  const get = async (name: string): Promise<HetznerCluster> =>
    api.client.get<HetznerCluster>(hetznerClusters, NS, name);

  it('reconciles only the objects labelled with its value, and one once it gets the label', async () => {
    // The other team's first: a controller without the filter would reach it before ours.
    await api.client.create(hetznerClusters, hetznerCluster('team-b', { [WATCH_FILTER_LABEL]: 'team-b' }));
    await api.client.create(hetznerClusters, hetznerCluster('unlabelled', {}));
    await api.client.create(hetznerClusters, hetznerCluster('team-a', { [WATCH_FILTER_LABEL]: 'team-a' }));
    await eventually(
      'the labelled HetznerCluster ready',
      async () => (await get('team-a')).status?.ready === true,
    );
    for (const name of ['team-b', 'unlabelled']) {
      const untouched = await get(name);
      assert.deepEqual(
        { finalizers: untouched.metadata.finalizers, status: untouched.status },
        { finalizers: undefined, status: undefined },
        `${name} is left alone`,
      );
    }

    await api.client.mergePatch(
      hetznerClusters,
      { namespace: NS, name: 'unlabelled' },
      { metadata: { labels: { [WATCH_FILTER_LABEL]: 'team-a' } } },
    );
    await eventually(
      'labelled later, reconciled',
      async () => (await get('unlabelled')).status?.ready === true,
    );
    assert.equal((await get('team-b')).status, undefined, 'the other team’s still untouched');
  });
});
