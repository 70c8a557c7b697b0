import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GROUP } from '../../api/v1beta1/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { ADMIN_USER, startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { freePort } from '../../sim/process/free-port.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { isKubeError, type KubeObject } from '../../src/kube/index.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';

const NS = 'bookkeeping';
const STATE = 'imageurl.io/provisioning-state';
const HOST_STATE = 'imageurl.io/host-provisioning-state';
const MOVE = 'clusterctl.cluster.x-k8s.io/delete-for-move';
const COMMAND = 'image-url-command-test';
const SCRIPT = '#!/bin/bash\necho IMAGE_URL_DONE\n';
/** Anyone who may edit the objects but is not the controller (impersonated by the admin). */
const MALLORY = ['--as', 'mallory', '--as-group', 'system:masters'];
/**
 * kubectl's resources at v1beta1, the stored version: by default kubectl picks v1beta2, which
 * needs the CRDs' conversion webhook, and this test serves admission only.
 */
const MACHINES = `hcloudmachines.v1beta1.${GROUP}`;
const HOSTS = `hetznerbaremetalhosts.v1beta1.${GROUP}`;

interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

describe('the bookkeeping annotations belong to the controller (kube-apiserver, our webhook, a running controller)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let scratch = '';
  let controller: InProcessController | undefined;
  /** The controller's username: the admin's, whose kubeconfig it runs with. */
  const controllerUsername = ADMIN_USER;

  async function kubectl(...args: string[]): Promise<Outcome> {
    const cp = controlPlane ?? assert.fail('no control plane');
    const binary = cp.binaries.kubectl ?? assert.fail('kubectl was not built');
    const all = ['--kubeconfig', cp.kubeconfigPath, '-n', NS, ...args];
    return promisify(execFile)(binary, all).then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: unknown) => ({ ok: false, output: (error as { stderr: string }).stderr }),
    );
  }

  async function stateOf(kind: string, name: string, key: string): Promise<string | undefined> {
    const { output } = await kubectl('get', kind, name, '-o', 'json');
    const object = JSON.parse(output) as KubeObject;
    return object.metadata.annotations?.[key];
  }

  /** What kubectl shows when the webhook refuses mallory's write to `key` of `kind` `name`. */
  const refusal = (kind: string, name: string, key: string): string =>
    `The ${kind} "${name}" is invalid: metadata.annotations[${key}]: Forbidden: only the controller (${controllerUsername}) may add, change or remove this annotation, not "mallory"`;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    const config = controlPlane.kubeConfig();
    api = testClient(config);
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-bookkeeping-'));
    const commandsDir = join(scratch, 'commands');
    await mkdir(commandsDir);
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    const { ca } = await createCertDir(join(scratch, 'certs'));
    const port = await freePort();
    // No controller username given: the controller asks the apiserver who it is.
    const webhook = { certDir: join(scratch, 'certs'), port, host: '127.0.0.1', kinds: allKindAdmissions() };
    const settings = { commandsDir, hcloudEndpoint: cloud.sim.endpoint, webhook };
    controller = startTestController(controlPlane.kubeconfigPath, settings);
    await createNamespace(config, NS);
    await registerWebhooks(
      config,
      { url: `https://127.0.0.1:${port}`, caPem: ca.certPem },
      allKindAdmissions(),
    );
    await waitUntilWebhooksAct(webhookRefusesBadMachines, 'our webhooks to refuse a bad HCloudMachine');
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

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });
  });

  it('lets the running controller write it: a machine provisions with the webhook on', async () => {
    const sim = cloud ?? assert.fail();
    const key = generateSshKeyPair('rescue');
    await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    await createProvisioningObjects(api.client, {
      namespace: NS,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: 'worker-1',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\nhostname: worker-1\n',
    });
    await eventually(
      'bootState OperatingSystemRunning',
      async () => {
        const machine = await api.client.get<KubeObject & { status?: { bootState?: string } }>(
          hcloudMachinesKind,
          NS,
          'worker-1',
        );
        return machine.status?.bootState === 'OperatingSystemRunning';
      },
      120_000,
    );
    const state = JSON.parse((await stateOf(MACHINES, 'worker-1', STATE)) ?? '{}') as {
      serverRequested?: boolean;
    };
    assert.equal(state.serverRequested, true);
  });

  it('refuses anyone else clearing, changing or adding it, and leaves them the other annotations', async () => {
    const before = await stateOf(MACHINES, 'worker-1', STATE);
    assert.ok(before, 'the controller wrote its bookkeeping');
    const cleared = await kubectl('annotate', MACHINES, 'worker-1', `${STATE}-`, ...MALLORY);
    assert.equal(cleared.ok, false, 'clearing the annotation was admitted');
    assert.match(cleared.output, new RegExp(escape(refusal('HCloudMachine', 'worker-1', STATE))));
    const changed = await kubectl('annotate', '--overwrite', MACHINES, 'worker-1', `${STATE}={}`, ...MALLORY);
    assert.equal(changed.ok, false, 'changing the annotation was admitted');
    assert.match(changed.output, /Forbidden: only the controller/);
    const patch = JSON.stringify({ metadata: { annotations: { [STATE]: null } } });
    const patched = await kubectl('patch', MACHINES, 'worker-1', '--type=merge', '-p', patch, ...MALLORY);
    assert.equal(patched.ok, false, 'a merge patch removing the annotation was admitted');
    assert.equal(await stateOf(MACHINES, 'worker-1', STATE), before);

    const noted = await kubectl('annotate', MACHINES, 'worker-1', 'team/note=hello', ...MALLORY);
    assert.ok(noted.ok, noted.output);
  });

  it('admits objects created with it, as clusterctl move and restores create them, and guards them after', async () => {
    const paused = { 'cluster.x-k8s.io/paused': '' };
    const machine = {
      apiVersion: `${GROUP}/v1beta1`,
      kind: 'HCloudMachine',
      metadata: { name: 'moved-in', annotations: { ...paused, [STATE]: '{"serverRequested":true}' } },
      spec: { type: 'cpx22', imageName: 'ubuntu-24.04', providerID: 'hcloud://4711' },
    };
    const host = {
      apiVersion: `${GROUP}/v1beta1`,
      kind: 'HetznerBareMetalHost',
      metadata: { name: 'host-moved-in', annotations: { ...paused, [HOST_STATE]: '{"rebootsTried":1}' } },
      spec: { serverID: 4711 },
    };
    for (const object of [machine, host]) {
      const manifest = join(scratch, `${object.metadata.name}.json`);
      await writeFile(manifest, JSON.stringify(object));
      const created = await kubectl('create', '-f', manifest, ...MALLORY);
      assert.ok(created.ok, created.output);
    }
    const hostCleared = await kubectl('annotate', HOSTS, 'host-moved-in', `${HOST_STATE}-`, ...MALLORY);
    assert.equal(hostCleared.ok, false, "clearing the host's annotation was admitted");
    assert.match(
      hostCleared.output,
      new RegExp(escape(refusal('HetznerBareMetalHost', 'host-moved-in', HOST_STATE))),
    );
  });

  it("admits clusterctl move's deletion of the source object, and keeps its delete mark on", async () => {
    // clusterctl's own JSON patch: `add /metadata/annotations` replaces all annotations.
    const mark = JSON.stringify([{ op: 'add', path: '/metadata/annotations', value: { [MOVE]: '' } }]);
    const marked = await kubectl('patch', MACHINES, 'moved-in', '--type=json', '-p', mark, ...MALLORY);
    assert.ok(marked.ok, marked.output);
    assert.equal(await stateOf(MACHINES, 'moved-in', STATE), undefined);
    const unmarked = await kubectl('annotate', MACHINES, 'moved-in', `${MOVE}-`, ...MALLORY);
    assert.equal(unmarked.ok, false, 'removing the delete-for-move mark was admitted');
    assert.match(
      unmarked.output,
      new RegExp(escape(`metadata.annotations[${MOVE}]: Forbidden: only the controller`)),
    );
    const deleted = await kubectl('delete', MACHINES, 'moved-in', '--wait=false', ...MALLORY);
    assert.ok(deleted.ok, deleted.output);
    // The mark stopped the controller: it put no finalizer on, so the object is gone at once.
    await eventually(
      'the marked HCloudMachine to be gone',
      async () => (await api.client.find(hcloudMachinesKind, NS, 'moved-in')) === undefined,
      30_000,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
