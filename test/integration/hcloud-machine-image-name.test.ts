import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { eventKind, type KubeObject } from '../../src/kube/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import {
  createMachineObjects,
  createProvisioningObjects,
  hcloudMachinesKind,
} from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-test';
const SCRIPT = '#!/bin/bash\necho "installing $1"\necho IMAGE_URL_DONE\n';
const NS = 'image-name';

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: {
    bootState?: string;
    ready?: boolean;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface WireServer {
  id: number;
  name: string;
  status: string;
  image: { id: number; type: string };
  labels: Record<string, string>;
}

describe('HCloudMachine imageName next to imageURL in one cluster (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  let controller: InProcessController | undefined;
  let snapshotId = 0;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    snapshotId = await makeSnapshot(cloud, 'node-v1');
    const settings = {
      commandsDir,
      hcloudEndpoint: cloud.sim.endpoint,
      // A snapshot server is looked at after 140 s by default (CAPH); the simulator is faster.
      provisioning: { requeue: { afterCreateFromSnapshotMs: 1_000 } },
    };
    controller = startTestController(controlPlane.kubeconfigPath, settings);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
    });
  });

  it('an imageName worker (snapshot by caph-image-name label) and an imageURL worker both reach OperatingSystemRunning; an unknown name creates no server', async () => {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    await createNamespace(cp.kubeConfig(), NS);
    const key = generateSshKeyPair('rescue');
    assert.equal(
      (await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey })).status,
      201,
    );
    await createProvisioningObjects(api.client, {
      namespace: NS,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: 'worker-url',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\nhostname: worker\n',
    });
    await createMachineObjects(api.client, NS, 'worker-name', { type: 'cpx22', imageName: 'node-v1' });
    await createMachineObjects(api.client, NS, 'worker-typo', { type: 'cpx22', imageName: 'node-v9' });

    for (const name of ['worker-url', 'worker-name']) {
      await eventually(
        `${name} in OperatingSystemRunning and ready`,
        async () => {
          const machine = await get(name);
          return machine.status?.bootState === 'OperatingSystemRunning' && machine.status.ready === true;
        },
        120_000,
      );
    }
    const fromName = await serverOf(sim, await get('worker-name'));
    assert.equal(fromName.status, 'running');
    assert.equal(fromName.image.id, snapshotId, 'created from the labelled snapshot');
    assert.equal(fromName.labels['machine.caph-name'], 'worker-name');
    assert.equal(fromName.labels['imageurl.io/namespace'], NS);
    const fromUrl = await serverOf(sim, await get('worker-url'));
    assert.equal(fromUrl.image.type, 'system', 'the image-URL server starts from the base image');

    const createdCondition = async (): Promise<NonNullable<Machine['status']>['conditions']> =>
      (await get('worker-typo')).status?.conditions?.filter((c) => c.type === 'ServerCreateSucceeded');
    await eventually('ImageNotFound on the machine with the unknown name', async () =>
      ((await createdCondition()) ?? []).some((c) => c.reason === 'ImageNotFound'),
    );
    const notFound = (await createdCondition())?.[0] ?? assert.fail('no ServerCreateSucceeded condition');
    assert.equal(notFound.status, 'False');
    assert.match(
      notFound.message ?? '',
      /^spec\.imageName "node-v9": no image of architecture x86 \(server type cpx22\)/,
    );
    assert.match(notFound.message ?? '', /snapshot \d+ \(caph-image-name=node-v1/, 'it says what exists');
    assert.equal((await get('worker-typo')).status?.bootState, '');
    const servers = (await sim.api.call('GET', '/servers')).body.servers as WireServer[];
    assert.deepEqual(
      servers.map((s) => s.name).sort(),
      ['worker-name', 'worker-url'],
      'no server for the unknown name',
    );
    await eventually('a Warning event ImageNotFound', async () => {
      const events = await api.client.list<KubeObject & { reason?: string; type?: string }>(eventKind, {
        namespace: NS,
      });
      return events.items.some((event) => event.type === 'Warning' && event.reason === 'ImageNotFound');
    });

    for (const name of ['worker-url', 'worker-name', 'worker-typo'])
      await api.client.delete(hcloudMachinesKind, NS, name);
    await eventually(
      'the HCloudMachines gone',
      async () => (await api.client.list(hcloudMachinesKind, { namespace: NS })).items.length === 0,
      60_000,
    );
    assert.deepEqual((await sim.api.call('GET', '/servers')).body.servers, [], 'their servers are deleted');
  });

  function get(name: string): Promise<Machine> {
    return api.client.get<Machine>(hcloudMachinesKind, NS, name);
  }
});

async function serverOf(sim: SimCloudEnv, machine: Machine): Promise<WireServer> {
  const id = Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
  return (await sim.api.server(id)) as unknown as WireServer;
}

/** A snapshot labelled for CAPH, made the way users make one: from a server, which is then deleted. */
async function makeSnapshot(sim: SimCloudEnv, imageName: string): Promise<number> {
  const source = await sim.api.call('POST', '/servers', {
    name: 'image-builder',
    server_type: 'cpx22',
    image: 'ubuntu-24.04',
    start_after_create: false,
  });
  await sim.api.waitForAction(source.body.action);
  const serverId = (source.body.server as { id: number }).id;
  const made = await sim.api.call('POST', `/servers/${serverId}/actions/create_image`, {
    description: `node image ${imageName}`,
    labels: { 'caph-image-name': imageName },
  });
  await sim.api.waitForAction(made.body.action);
  const deleted = await sim.api.call('DELETE', `/servers/${serverId}`);
  await sim.api.waitForAction(deleted.body.action);
  return (made.body.image as { id: number }).id;
}
