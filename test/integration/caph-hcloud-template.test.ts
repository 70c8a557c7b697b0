/**
 * A user moving from CAPH applies CAPH's default hcloud cluster template unchanged: every object
 * passes `imageurl validate` and is admitted by a kube-apiserver with our webhooks in force, the
 * HetznerCluster becomes ready with its load balancer as the endpoint, and the HCloudMachines
 * Cluster API would clone from the templates get servers in their placement groups, the control
 * plane behind the load balancer. Deleting the cluster leaves nothing in the project. The same
 * for imageurl's own flavour hcloud-image-url, its machines installed from an image URL.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import { substitute } from '../support/clusterctl-variables.js';
import { objectsOf, REPO_ROOT, type K8sObject } from '../support/release-output.js';
import { runCommand } from '../support/run-command.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/caph-hcloud-cluster.yaml', import.meta.url));
const IMAGEURL = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const NS = 'caph-hcloud';
const FLAVOUR = join(REPO_ROOT, 'templates/cluster-template-hcloud-image-url.yaml');
const COMMAND = 'image-url-command-test';
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
  const sshKey = generateSshKeyPair('ssh-key');

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    const config = controlPlane.kubeConfig();
    api = testClient(config);
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-caph-template-'));
    await writeFile(join(scratch, COMMAND), '#!/bin/bash\necho IMAGE_URL_DONE\n');
    await chmod(join(scratch, COMMAND), 0o755);
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
      public_key: sshKey.publicKey,
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

    await createSecrets(NS, { hcloud: { hcloud: sim.sim.token } });
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
    for (const object of template) await admittedUnchanged(NS, object);

    const balancer = await readyBehindLoadBalancer(NS);

    // What Cluster API does for KubeadmControlPlane and MachineDeployment: one HCloudMachine per
    // replica, its spec cloned from the template, through our webhooks like any other write.
    await createLabelledMachineObjects(
      api.client,
      { ns: NS, name: 'my-cluster-control-plane-abcde', labels: CONTROL_PLANE },
      await templateSpec(NS, 'my-cluster-control-plane'),
    );
    await createLabelledMachineObjects(
      api.client,
      { ns: NS, name: 'my-cluster-md-0-fghij', labels: { nodepool: 'my-cluster-md-0' } },
      await templateSpec(NS, 'my-cluster-md-0'),
    );
    const controlPlaneServer = await serverOf(NS, 'my-cluster-control-plane-abcde');
    const workerServer = await serverOf(NS, 'my-cluster-md-0-fghij');
    assert.equal(await placement(controlPlaneServer), 'my-cluster-control-plane');
    assert.equal(await placement(workerServer), 'my-cluster-md-0');
    await onlyTarget(balancer.id, controlPlaneServer);
    await deleteWithoutLeaks(NS);
  });

  it('the hcloud-image-url flavour, generated: admitted, ready behind its load balancer, its image-URL control plane the target', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'flavour';
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    const generated = substitute(await readFile(FLAVOUR, 'utf8'), {
      CLUSTER_NAME: 'my-cluster',
      KUBERNETES_VERSION: 'v1.34.4',
      HCLOUD_SSH_KEY: 'ssh-key',
      IMAGEURL_NODE_IMAGE_URL: 'oci://registry.example.com/node:v1.34.4',
      IMAGEURL_COMMAND: COMMAND,
      // The default cpx31 is not in the simulator's catalog (Hetzner's current types are).
      HCLOUD_CONTROL_PLANE_MACHINE_TYPE: 'cpx22',
      HCLOUD_WORKER_MACHINE_TYPE: 'cpx22',
    });
    await createSecrets(ns, {
      hetzner: { hcloud: sim.sim.token },
      'hetzner-ssh': {
        'sshkey-name': 'ssh-key',
        'ssh-publickey': sshKey.publicKey,
        'ssh-privatekey': sshKey.privateKey,
      },
    });
    for (const object of objectsOf(generated)) await admittedUnchanged(ns, object);
    const balancer = await readyBehindLoadBalancer(ns);
    await createLabelledMachineObjects(
      api.client,
      { ns, name: 'my-cluster-control-plane-klmno', labels: CONTROL_PLANE },
      await templateSpec(ns, 'my-cluster-control-plane'),
    );
    await createLabelledMachineObjects(
      api.client,
      { ns, name: 'my-cluster-md-0-pqrst', labels: { nodepool: 'my-cluster-md-0' } },
      await templateSpec(ns, 'my-cluster-md-0'),
    );
    const server = await serverOf(ns, 'my-cluster-control-plane-klmno');
    assert.equal(await placement(server), 'my-cluster-control-plane');
    assert.equal(await placement(await serverOf(ns, 'my-cluster-md-0-pqrst')), 'my-cluster-md-0');
    await onlyTarget(balancer.id, server);
    await deleteWithoutLeaks(ns);
  });

  async function placement(id: number): Promise<unknown> {
    const sim = cloud ?? assert.fail();
    return ((await sim.api.server(id)).placement_group as { name: string } | null)?.name;
  }

  /** The HetznerCluster ready, its endpoint the load balancer's IPv4 and port 443. */
  async function readyBehindLoadBalancer(ns: string): Promise<{ id?: number }> {
    await eventually(
      'the HetznerCluster ready',
      async () => (await cluster(ns)).status?.ready === true,
      60_000,
    );
    const ready = await cluster(ns);
    const balancer = ready.status?.controlPlaneLoadBalancer ?? assert.fail('no load balancer status');
    assert.ok(balancer.ipv4, 'the load balancer has a public IPv4');
    assert.deepEqual(ready.spec.controlPlaneEndpoint, { host: balancer.ipv4, port: 443 });
    return balancer;
  }

  async function onlyTarget(balancerId: number | undefined, serverId: number): Promise<void> {
    const sim = cloud ?? assert.fail();
    await eventually('the control-plane server is the load balancer’s only target', async () => {
      const wire = await sim.api.call('GET', `/load_balancers/${balancerId ?? 0}`);
      const targets = (wire.body.load_balancer as { targets: { server?: { id: number } }[] }).targets;
      return targets.length === 1 && targets[0]?.server?.id === serverId;
    });
  }

  /** Machines, then the cluster deleted: nothing of it left in the project. */
  async function deleteWithoutLeaks(ns: string): Promise<void> {
    const sim = cloud ?? assert.fail();

    for (const machine of (await api.client.list(hcloudMachinesKind, { namespace: ns })).items)
      await api.client.delete(hcloudMachinesKind, ns, machine.metadata.name ?? '');
    await api.client.delete(hetznerClusters, ns, 'my-cluster');
    await eventually(
      'the HetznerCluster gone',
      async () => (await api.client.list(hetznerClusters, { namespace: ns })).items.length === 0,
      60_000,
    );
    for (const family of ['servers', 'load_balancers', 'placement_groups', 'networks'])
      assert.deepEqual((await sim.api.call('GET', `/${family}`)).body[family], [], `no ${family} left`);
  }

  /** Created as written; imageurl's kinds stored with every field they were sent with. */
  async function admittedUnchanged(ns: string, object: K8sObject): Promise<void> {
    const [group = '', version = ''] = object.apiVersion.split('/');
    // Every kind of the template is plural with an s, lower case.
    const kind: KindRef = {
      group,
      version,
      kind: object.kind,
      plural: `${object.kind.toLowerCase()}s`,
      namespaced: true,
    };
    const sent = { ...object, metadata: { ...object.metadata, namespace: ns } } as KubeObject;
    const stored = await api.client.create(kind, sent).catch((error: unknown) => {
      assert.fail(`${object.kind} ${object.metadata.name} refused: ${String(error)}`);
    });
    // Our kinds only: the apiserver prunes nulls from Cluster API's (an empty matchLabels).
    if (group !== GROUP) return;
    const { spec } = object as { spec?: unknown };
    const kept = (stored as { spec?: unknown }).spec;
    assert.deepEqual(sentFieldsOf(kept, spec), spec, `${object.kind} ${object.metadata.name} stored as sent`);
  }

  /** The Secrets by name (data unencoded), and the bootstrap data Cluster API would write. */
  async function createSecrets(ns: string, secrets: Record<string, Record<string, string>>): Promise<void> {
    const all = { ...secrets, bootstrap: { value: '#cloud-config\n' } };
    for (const [name, data] of Object.entries(all))
      await api.client.create(secretKind, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: ns },
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
      } as KubeObject);
  }

  async function templateSpec(ns: string, name: string): Promise<Record<string, unknown>> {
    const template = await api.client.get<MachineTemplate>(hcloudMachineTemplates, ns, name);
    return template.spec.template.spec;
  }

  function cluster(ns: string): Promise<HetznerCluster> {
    return api.client.get<HetznerCluster>(hetznerClusters, ns, 'my-cluster');
  }

  async function serverOf(ns: string, name: string): Promise<number> {
    let id = 0;
    await eventually(
      `${name} has a server`,
      async () => {
        const machine = await api.client.get<KubeObject & { spec: { providerID?: string } }>(
          hcloudMachinesKind,
          ns,
          name,
        );
        id = Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
        return id > 0;
      },
      120_000,
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
