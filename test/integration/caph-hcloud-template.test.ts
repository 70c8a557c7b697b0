/**
 * A user moving from CAPH applies CAPH's default hcloud cluster template unchanged: every object
 * passes `imageurl validate` and is admitted by a kube-apiserver with our webhooks in force, the
 * HetznerCluster becomes ready with its load balancer as the endpoint, and the HCloudMachines
 * Cluster API would clone from the templates get servers in their placement groups, the control
 * plane behind the load balancer. Deleting the cluster leaves nothing in the project.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { GROUP, hcloudMachineTemplateKind } from '../../api/v1beta1/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { freePort } from '../../sim/process/free-port.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import {
  infrastructureKind,
  isKubeError,
  secretKind,
  type KindRef,
  type KubeObject,
} from '../../src/kube/index.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import {
  createLabelledMachineObjects,
  hcloudMachinesKind,
  hetznerClusters,
} from '../support/provisioning-objects.js';
import { objectsOf, type K8sObject } from '../support/release-output.js';
import { runCommand } from '../support/run-command.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/caph-hcloud-cluster.yaml', import.meta.url));
const IMAGEURL = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const NS = 'caph-hcloud';
const CONTROL_PLANE = { 'cluster.x-k8s.io/control-plane': '' };
const hcloudMachineTemplates = infrastructureKind(hcloudMachineTemplateKind);

interface HetznerCluster extends KubeObject {
  spec: { controlPlaneEndpoint?: { host: string; port: number } };
  status?: { ready?: boolean; controlPlaneLoadBalancer?: { id?: number; ipv4?: string } };
}

interface MachineTemplate extends KubeObject {
  spec: { template: { spec: Record<string, unknown> } };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('CAPH’s default hcloud cluster template, unchanged (kube-apiserver, our webhooks, controller, Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let scratch = '';
  let controller: InProcessController | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    const config = controlPlane.kubeConfig();
    api = testClient(config);
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-caph-template-'));
    const { ca } = await createCertDir(join(scratch, 'certs'));
    const port = await freePort();
    // The controller serves the webhooks too, as `imageurl controller` does in a cluster.
    const webhook = { certDir: join(scratch, 'certs'), port, host: '127.0.0.1', kinds: allKindAdmissions() };
    controller = startTestController(controlPlane.kubeconfigPath, {
      commandsDir: scratch,
      hcloudEndpoint: cloud.sim.endpoint,
      webhook,
    });
    await createNamespace(config, NS);
    await registerWebhooks(
      config,
      { url: `https://127.0.0.1:${port}`, caPem: ca.certPem },
      allKindAdmissions(),
    );
    await waitUntilWebhooksAct(webhookRefusesBadMachines, 'our webhooks to refuse a bad HCloudMachine');
    const key = await cloud.api.call('POST', '/ssh_keys', {
      name: 'ssh-key',
      public_key: generateSshKeyPair('ssh-key').publicKey,
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });
  });

  /** Offers a machine without an image: true once the webhook refuses it. */
  async function webhookRefusesBadMachines(): Promise<boolean> {
    const probe = {
      apiVersion: `${GROUP}/v1beta1`,
      kind: 'HCloudMachine',
      metadata: { name: 'probe', namespace: NS },
    };
    try {
      await api.client.create(hcloudMachinesKind, { ...probe, spec: { type: 'cpx22' } } as KubeObject);
    } catch (error) {
      return isKubeError(error, 'KUBE_INVALID');
    }
    await api.client.delete(hcloudMachinesKind, NS, 'probe');
    return false;
  }

  it('passes imageurl validate, is admitted unchanged, becomes ready, provisions its machines and is deleted without leaks', async () => {
    const sim = cloud ?? assert.fail();
    const validated = await runCommand(process.execPath, [IMAGEURL, 'validate', FIXTURE]);
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);

    await createSecrets(sim.sim.token);
    const template = objectsOf(await readFile(FIXTURE, 'utf8'));
    assert.deepEqual(
      template.filter((object) => object.apiVersion.startsWith(`${GROUP}/`)).map((object) => object.kind),
      [
        'HetznerCluster',
        'HCloudMachineTemplate',
        'HCloudRemediationTemplate',
        'HCloudMachineTemplate',
        'HCloudRemediationTemplate',
      ],
    );
    for (const object of template) await admittedUnchanged(object);

    await eventually(
      'the HetznerCluster ready',
      async () => (await cluster()).status?.ready === true,
      60_000,
    );
    const ready = await cluster();
    const balancer = ready.status?.controlPlaneLoadBalancer ?? assert.fail('no load balancer status');
    assert.ok(balancer.ipv4, 'the load balancer has a public IPv4');
    assert.deepEqual(ready.spec.controlPlaneEndpoint, { host: balancer.ipv4, port: 443 });

    // What Cluster API does for KubeadmControlPlane and MachineDeployment: one HCloudMachine per
    // replica, its spec cloned from the template, through our webhooks like any other write.
    await createLabelledMachineObjects(
      api.client,
      { ns: NS, name: 'my-cluster-control-plane-abcde', labels: CONTROL_PLANE },
      await templateSpec('my-cluster-control-plane'),
    );
    await createLabelledMachineObjects(
      api.client,
      { ns: NS, name: 'my-cluster-md-0-fghij', labels: { nodepool: 'my-cluster-md-0' } },
      await templateSpec('my-cluster-md-0'),
    );
    const controlPlaneServer = await serverOf('my-cluster-control-plane-abcde');
    const workerServer = await serverOf('my-cluster-md-0-fghij');
    const placement = async (id: number): Promise<unknown> =>
      ((await sim.api.server(id)).placement_group as { name: string } | null)?.name;
    assert.equal(await placement(controlPlaneServer), 'my-cluster-control-plane');
    assert.equal(await placement(workerServer), 'my-cluster-md-0');
    await eventually('the control-plane server is the load balancer’s only target', async () => {
      const wire = await sim.api.call('GET', `/load_balancers/${balancer.id ?? 0}`);
      const targets = (wire.body.load_balancer as { targets: { server?: { id: number } }[] }).targets;
      return targets.length === 1 && targets[0]?.server?.id === controlPlaneServer;
    });

    for (const machine of (await api.client.list(hcloudMachinesKind, { namespace: NS })).items)
      await api.client.delete(hcloudMachinesKind, NS, machine.metadata.name ?? '');
    await api.client.delete(hetznerClusters, NS, 'my-cluster');
    await eventually(
      'the HetznerCluster gone',
      async () => (await api.client.list(hetznerClusters, { namespace: NS })).items.length === 0,
      60_000,
    );
    for (const family of ['servers', 'load_balancers', 'placement_groups', 'networks'])
      assert.deepEqual((await sim.api.call('GET', `/${family}`)).body[family], [], `no ${family} left`);
  });

  /** Created as written; imageurl's kinds stored with every field they were sent with. */
  async function admittedUnchanged(object: K8sObject): Promise<void> {
    const [group = '', version = ''] = object.apiVersion.split('/');
    // Every kind of the template is plural with an s, lower case.
    const kind: KindRef = {
      group,
      version,
      kind: object.kind,
      plural: `${object.kind.toLowerCase()}s`,
      namespaced: true,
    };
    const sent = { ...object, metadata: { ...object.metadata, namespace: NS } } as KubeObject;
    const stored = await api.client.create(kind, sent).catch((error: unknown) => {
      assert.fail(`${object.kind} ${object.metadata.name} refused: ${String(error)}`);
    });
    // Our kinds only: the apiserver prunes nulls from Cluster API's (an empty matchLabels).
    if (group !== GROUP) return;
    const { spec } = object as { spec?: unknown };
    const kept = (stored as { spec?: unknown }).spec;
    assert.deepEqual(sentFieldsOf(kept, spec), spec, `${object.kind} ${object.metadata.name} stored as sent`);
  }

  async function createSecrets(token: string): Promise<void> {
    const secret = (name: string, data: Record<string, string>): KubeObject =>
      ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: NS },
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
      }) as KubeObject;
    // CAPH's documented Secret `hcloud`; the robot keys are unused without bare metal.
    await api.client.create(secretKind, secret('hcloud', { hcloud: token }));
    await api.client.create(secretKind, secret('bootstrap', { value: '#cloud-config\n' }));
  }

  async function templateSpec(name: string): Promise<Record<string, unknown>> {
    const template = await api.client.get<MachineTemplate>(hcloudMachineTemplates, NS, name);
    return template.spec.template.spec;
  }

  function cluster(): Promise<HetznerCluster> {
    return api.client.get<HetznerCluster>(hetznerClusters, NS, 'my-cluster');
  }

  async function serverOf(name: string): Promise<number> {
    let id = 0;
    await eventually(
      `${name} has a server`,
      async () => {
        const machine = await api.client.get<KubeObject & { spec: { providerID?: string } }>(
          hcloudMachinesKind,
          NS,
          name,
        );
        id = Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
        return id > 0;
      },
      60_000,
    );
    return id;
  }
});

/** `stored` reduced to the fields `sent` has (defaults added on admission left out). */
function sentFieldsOf(stored: unknown, sent: unknown): unknown {
  if (Array.isArray(sent) && Array.isArray(stored))
    return stored.map((item: unknown, index) => sentFieldsOf(item, sent[index]));
  if (sent === null || typeof sent !== 'object' || stored === null || typeof stored !== 'object')
    return stored;
  const record = stored as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(sent).map(([key, value]) => [key, sentFieldsOf(record[key], value)]),
  );
}
