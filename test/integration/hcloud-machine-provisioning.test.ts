import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { runController } from '../../src/cli/commands/controller.js';
import { eventKind, resolveRuntimeOptions, type KubeObject } from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-test';
const SCRIPT = `#!/bin/bash
echo "installing $1 for $3 onto /dev/$4"
echo written > /root/imageurl-test-marker
echo IMAGE_URL_DONE
`;

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; ready?: boolean; addresses?: unknown[]; conditions?: { type: string }[] };
}

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
}

describe('HCloudMachine provisioning with imageURL + imageURLCommand (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  const stopController = new AbortController();
  let controller: Promise<void> | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': '0',
        'health-probe-bind-address': '0',
        'log-level': process.env.IMAGEURL_TEST_LOG ?? 'silent',
      },
      {},
    );
    const settings = { commandsDir, hcloudEndpoint: cloud.sim.endpoint, registryToken: 'registry-5ecr3t' };
    controller = runController(options, settings, { env: {} }, stopController.signal);
    controller.catch(() => undefined);
  });

  after(async () => {
    stopController.abort();
    await controller?.catch(() => undefined);
    api.transport.close();
    await cloud?.stop();
    await controlPlane?.stop();
    if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
  });

  it('reaches OperatingSystemRunning with providerID, ready, addresses and the success event', async () => {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    const ns = 'provisioning';
    await createNamespace(cp.kubeConfig(), ns);
    const key = generateSshKeyPair('rescue');
    const registered = await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    assert.equal(registered.status, 201);
    await createProvisioningObjects(api.client, {
      namespace: ns,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: 'worker-1',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\nhostname: worker-1\n',
    });
    const get = (): Promise<Machine> => api.client.get<Machine>(hcloudMachinesKind, ns, 'worker-1');
    await eventually(
      'bootState OperatingSystemRunning',
      async () => (await get()).status?.bootState === 'OperatingSystemRunning',
      120_000,
    );
    await assertProvisioned(await get(), sim);
    await assertSuccessEvent(api, ns);

    await api.client.delete(hcloudMachinesKind, ns, 'worker-1');
    await eventually(
      'the HCloudMachine to be gone',
      async () => (await api.client.find(hcloudMachinesKind, ns, 'worker-1')) === undefined,
      60_000,
    );
    const servers = await sim.api.call('GET', '/servers');
    assert.deepEqual(servers.body.servers, [], 'deleting the HCloudMachine deleted its server');
  });
});

async function assertProvisioned(machine: Machine, sim: SimCloudEnv): Promise<void> {
  assert.match(machine.spec.providerID ?? '', /^hcloud:\/\/\d+$/);
  assert.equal(machine.status?.ready, true);
  assert.ok((machine.status.addresses?.length ?? 0) > 0, 'addresses are set');
  const serverId = Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
  assert.equal((await sim.api.server(serverId)).status, 'running');
  const state = JSON.parse(machine.metadata.annotations?.['imageurl.io/provisioning-state'] ?? '{}') as {
    serverRequested?: boolean;
  };
  assert.equal(state.serverRequested, true);
}

async function assertSuccessEvent(api: TestClient, ns: string): Promise<void> {
  await eventually('the success event with the command output', async () => {
    const events = await api.client.list<EventObject>(eventKind, { namespace: ns });
    return events.items.some(
      (event) =>
        event.type === 'Normal' &&
        event.reason === 'ImageURLCommandSucceeded' &&
        (event.note ?? '').includes('IMAGE_URL_DONE'),
    );
  });
}
