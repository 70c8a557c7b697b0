import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventKind } from '../../src/kube/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { addMachineIn, startMachineEnv, writeCommand, type MachineEnv } from '../support/machine-env.js';
import {
  allServers,
  pollFor,
  type EventView,
  type HCloudMachineView,
  type MetaCondition,
} from '../support/machine-observation.js';
import { hcloudMachinesKind } from '../support/provisioning-objects.js';

const COMMAND = 'image-url-command-quick';
const SCRIPT = '#!/bin/bash\necho "installing $1"\necho IMAGE_URL_DONE\n';
/** Both teams run a cluster `my-cluster` with a machine `twin`. */
const TWIN = 'twin';

function machineIn(env: MachineEnv, namespace: string, name: string): Promise<HCloudMachineView | undefined> {
  return env.api.client.find<HCloudMachineView>(hcloudMachinesKind, namespace, name);
}

async function conditionIn(
  env: MachineEnv,
  namespace: string,
  name: string,
  type: string,
): Promise<MetaCondition | undefined> {
  const machine = await machineIn(env, namespace, name);
  return machine?.status?.conditions?.find((condition) => condition.type === type);
}

/** Requests that did something to the server (anything but looking at it). */
function changesTo(env: MachineEnv, serverId: number): string[] {
  return env.cloud.sim.requests
    .recent(10_000)
    .filter((request) => request.server === String(serverId) && request.method !== 'GET')
    .map((request) => `${request.method} ${request.path}`);
}

async function warning(env: MachineEnv, namespace: string, reason: string): Promise<EventView> {
  return pollFor(
    `a ${reason} Warning event in ${namespace}`,
    async () => {
      const events = (await env.api.client.list<EventView>(eventKind, { namespace })).items;
      return events.find((event) => event.reason === reason && event.type === 'Warning');
    },
    { deadlineMs: 30_000 },
  );
}

async function heldCondition(env: MachineEnv, namespace: string, name: string): Promise<MetaCondition> {
  return pollFor(
    `${namespace}/${name} to be held (ServerAvailable ServerNotOwned)`,
    async () => {
      const condition = await conditionIn(env, namespace, name, 'ServerAvailable');
      return condition?.reason === 'ServerNotOwned' ? condition : undefined;
    },
    { deadlineMs: 60_000 },
  );
}

async function deleteMachine(env: MachineEnv, namespace: string, name: string): Promise<void> {
  await env.api.client.delete(hcloudMachinesKind, namespace, name);
  await pollFor(
    `${namespace}/${name} to be gone`,
    async () => ((await machineIn(env, namespace, name)) === undefined ? true : undefined),
    { deadlineMs: 60_000 },
  );
}

describe('HCloudMachines act only on their own servers (kube-apiserver + Cloud simulator + rescue sshd)', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;
  /** team-a's server for its machine `twin`. */
  let twinServer = 0;

  before(async () => {
    env = await startMachineEnv();
    await writeCommand(env, COMMAND, SCRIPT);
    const settings = { commandsDir: env.commandsDir, hcloudEndpoint: env.cloud.sim.endpoint };
    controller = startTestController(env.controlPlane.kubeconfigPath, settings);
    const e = env;
    await addMachineIn(e, { namespace: 'team-a', name: TWIN, command: COMMAND });
    const provisioned = await pollFor(
      'team-a/twin to run its operating system',
      async () => {
        const machine = await machineIn(e, 'team-a', TWIN);
        return machine?.status?.bootState === 'OperatingSystemRunning' ? machine : undefined;
      },
      { deadlineMs: 120_000 },
    );
    twinServer = Number((provisioned.spec.providerID ?? '').slice('hcloud://'.length));
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('servers carry the namespace of their machine', async () => {
    const e = env ?? assert.fail('no env');
    assert.deepEqual((await e.cloud.api.server(twinServer)).labels, {
      'caph-cluster-my-cluster': 'owned',
      'machine.caph-name': TWIN,
      machine_type: 'worker',
      'imageurl.io/namespace': 'team-a',
    });
  });

  it("a same-named machine of a same-named cluster in another namespace does not adopt the other team's server", async () => {
    const e = env ?? assert.fail('no env');
    const before = changesTo(e, twinServer).length;
    await addMachineIn(e, { namespace: 'team-b', name: TWIN, command: COMMAND });
    const refused = await pollFor(
      'team-b/twin to be refused the server of its name',
      async () => {
        const condition = await conditionIn(e, 'team-b', TWIN, 'ServerCreateSucceeded');
        return condition?.message?.includes('was not created for this machine') ? condition : undefined;
      },
      { deadlineMs: 60_000 },
    );
    assert.match(refused.message ?? '', /labels with another value: imageurl\.io\/namespace/);
    assert.equal((await machineIn(e, 'team-b', TWIN))?.spec.providerID, undefined);
    assert.deepEqual(changesTo(e, twinServer).slice(before), [], 'nothing was done to team-a’s server');
  });

  it("a machine created with the providerID of another namespace's server is held, and deleting it leaves the server", async () => {
    const e = env ?? assert.fail('no env');
    const before = changesTo(e, twinServer).length;
    const providerID = `hcloud://${twinServer}`;
    await addMachineIn(e, { namespace: 'team-c', name: TWIN, command: COMMAND, providerID });
    const held = await heldCondition(e, 'team-c', TWIN);
    assert.equal(held.status, 'False');
    assert.match(held.message ?? '', new RegExp(`server ${twinServer} was not created for this machine`));
    assert.match(held.message ?? '', /imageurl\.io\/namespace/);
    assert.match((await warning(e, 'team-c', 'ServerNotOwned')).note ?? '', /nothing is done with it/);
    assert.equal((await machineIn(e, 'team-c', TWIN))?.status?.bootState, '', 'held, not failed');

    await deleteMachine(e, 'team-c', TWIN);
    const left = await pollFor(
      'the Warning that the server was left alone',
      async () => {
        const events = (await e.api.client.list<EventView>(eventKind, { namespace: 'team-c' })).items;
        return events.find((event) => event.note?.startsWith(`Left server ${twinServer} alone`));
      },
      { deadlineMs: 30_000 },
    );
    assert.equal(left.type, 'Warning');
    assert.deepEqual(changesTo(e, twinServer).slice(before), [], 'nothing was done to team-a’s server');
    assert.equal((await e.cloud.api.server(twinServer)).status, 'running');
  });

  it('a machine created with the providerID of a server made outside of imageurl (no labels) is held, and deleting it leaves the server', async () => {
    const e = env ?? assert.fail('no env');
    const created = await e.cloud.api.call('POST', '/servers', {
      name: 'stranger',
      server_type: 'cpx22',
      image: 'debian-13',
    });
    assert.equal(created.status, 201);
    const stranger = (created.body.server as { id: number }).id;
    await e.cloud.api.waitForAction(created.body.action);
    const before = changesTo(e, stranger).length;
    // Named like the server, so that a create finds the name taken and the providerID stays.
    await addMachineIn(e, {
      namespace: 'team-d',
      name: 'stranger',
      command: COMMAND,
      providerID: `hcloud://${stranger}`,
    });
    const held = await heldCondition(e, 'team-d', 'stranger');
    assert.match(held.message ?? '', /labels missing: caph-cluster-my-cluster, machine\.caph-name/);

    await deleteMachine(e, 'team-d', 'stranger');
    await warning(e, 'team-d', 'ServerNotOwned');
    assert.deepEqual(changesTo(e, stranger).slice(before), [], 'nothing was done to the server');
    assert.ok(
      (await allServers(e)).some((server) => server.id === stranger),
      'the server is still there',
    );
  });
});
