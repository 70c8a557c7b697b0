import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import type { MachineStatus } from './machine.js';

const caphLabels = {
  'caph-cluster-my-cluster': 'owned',
  'machine.caph-name': 'my-machine',
  machine_type: 'worker',
};
const ownLabels = { ...caphLabels, 'imageurl.io/namespace': 'default' };
/** The same-named machine of the same-named cluster in namespace `team-b`. */
const twinLabels = { ...caphLabels, 'imageurl.io/namespace': 'team-b' };
const destructive = ['enableRescue', 'powerOn', 'reset', 'deleteServer', 'setServerLabels'] as const;

function destructiveCalls(fx: ProvisioningFixture): number {
  return destructive.reduce((sum, method) => sum + fx.cloud.count(method), 0);
}

function availableReason(fx: ProvisioningFixture): string {
  const condition = fx.condition('ServerAvailable');
  assert.ok(condition);
  return condition.reason;
}

/** The condition of a held machine (ServerAvailable False ServerNotOwned), its message. */
function heldMessage(fx: ProvisioningFixture): string {
  const condition = fx.condition('ServerAvailable');
  assert.ok(condition);
  assert.equal(condition.status, 'False');
  assert.equal(condition.reason, 'ServerNotOwned');
  return condition.message;
}

/** A running machine whose status names server `id` (as a CAPH machine or a moved one would). */
function runningOn(id: number, since = new Date('2026-09-01T09:00:00Z')): MachineStatus {
  return {
    bootState: 'OperatingSystemRunning',
    bootStateSince: since,
    providerID: `hcloud://${id}`,
    instanceState: 'running',
    ready: true,
  };
}

describe('the ownership gate in front of every call on a server', () => {
  it("a machine created with the providerID of another namespace's same-named server is held: no call on it, a condition and a Warning say why, and it never fails", async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({ id: 42, name: 'my-machine', status: 'running', labels: twinLabels });
    fx.status = { bootState: '', providerID: 'hcloud://42' };
    const held = await fx.step();
    assert.equal(destructiveCalls(fx), 0);
    assert.equal(fx.cloud.count('createServer'), 0);
    assert.ok(held.requeue.kind === 'after' && held.requeue.ms <= 10 * 60_000);
    const message = heldMessage(fx);
    assert.match(message, /server 42 was not created for this machine/);
    assert.match(message, /labels with another value: imageurl\.io\/namespace/);
    assert.doesNotMatch(message, /team-b/, "the stranger's label values are not shown");
    assert.equal(fx.events.withReason('ServerNotOwned')[0]?.type, 'Warning');

    fx.clock.advance(60 * 60_000);
    const later = await fx.step();
    assert.deepEqual(later.requeue, { kind: 'after', ms: 10 * 60_000 });
    assert.equal(fx.status.bootState, '', 'held, not failed, long after the state would have timed out');
    assert.equal(destructiveCalls(fx), 0);
    assert.equal(fx.cloud.servers.get(42)?.status, 'running');
  });

  it('a held machine goes on once the server carries its labels (an admin fixed them)', async () => {
    const fx = new ProvisioningFixture();
    const server = fx.cloud.addServer({ id: 42, name: 'my-machine', status: 'off', labels: twinLabels });
    fx.status = { bootState: '', providerID: 'hcloud://42' };
    await fx.step();
    assert.equal(availableReason(fx), 'ServerNotOwned');
    server.labels = { ...ownLabels };
    await fx.step();
    assert.equal(availableReason(fx), 'ServerOwnershipVerified');
    await fx.runUntil('EnablingRescue');
    assert.equal(fx.cloud.count('enableRescue'), 1);
  });

  it('deleting such a machine leaves the server alone and says so in a Warning event', async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({ id: 42, name: 'my-machine', status: 'running', labels: twinLabels });
    fx.status = runningOn(42);
    const outcome = await fx.deleteStep();
    assert.equal(outcome.done, true);
    assert.equal(fx.cloud.count('deleteServer'), 0);
    assert.ok(fx.cloud.servers.has(42));
    const event = fx.events.withReason('ServerNotOwned').at(0);
    assert.ok(event);
    assert.equal(event.type, 'Warning');
    assert.match(event.message, /Left server 42 alone: it was not created for this machine/);
  });

  it('an unlabelled server is never acted on, whether named by providerID or found by name', async () => {
    const byId = new ProvisioningFixture();
    byId.cloud.addServer({ id: 9, name: 'someone-else', status: 'running' });
    byId.status = runningOn(9);
    await byId.step();
    assert.equal(destructiveCalls(byId), 0);
    assert.match(heldMessage(byId), /its name is not my-machine; labels missing/);
    assert.equal((await byId.deleteStep()).done, true);
    assert.ok(byId.cloud.servers.has(9));

    const byName = new ProvisioningFixture();
    byName.cloud.addServer({ id: 9, name: 'my-machine', status: 'running' });
    await byName.runUntil('', 2);
    await byName.step();
    assert.equal(byName.status.providerID, undefined, 'not adopted');
    assert.equal(destructiveCalls(byName), 0);
  });

  it('a server CAPH created for this machine is taken over: the namespace label is added to its labels', async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({
      id: 5,
      name: 'my-machine',
      status: 'running',
      labels: { ...caphLabels, keep: 'me' },
    });
    fx.status = runningOn(5);
    await fx.step();
    assert.deepEqual(fx.cloud.servers.get(5)?.labels, { ...ownLabels, keep: 'me' });
    assert.equal(availableReason(fx), 'Available');
    assert.equal(fx.cloud.count('setServerLabels'), 1);
    await fx.deleteStep();
    assert.equal(fx.cloud.servers.has(5), false, 'deleted: it is this machine’s');
  });

  it('costs no GET for a server created in this process and at most one per machine after a restart', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('EnablingRescue');
    assert.equal(fx.cloud.count('getServer'), 0);
    fx.restart();
    await fx.runUntil('OperatingSystemRunning');
    const afterRestart = fx.cloud.count('getServer');
    // One look by the gate before the power-on, one by BootingToRealOS (the handler's own).
    assert.equal(afterRestart, 2);
    await fx.deleteStep();
    assert.equal(fx.cloud.count('getServer'), afterRestart, 'the deletion needs no second look');
  });

  it('a moved machine (status gone, boot state from the annotation) looks at its server once and goes on where it was', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('RunningImageCommand');
    const { bootState, bootStateSince, providerID, externalIDs, rescueHostKey } = fx.status;
    fx.restart();
    // What clusterctl move leaves: spec.providerID and the annotation (boot state, actions, pin).
    fx.status = JSON.parse(
      JSON.stringify({ bootState, providerID, externalIDs, rescueHostKey }),
    ) as MachineStatus;
    if (bootStateSince) fx.status = { ...fx.status, bootStateSince };
    const gets = fx.cloud.count('getServer');
    const looked = await fx.step();
    assert.equal(fx.cloud.count('getServer'), gets + 1);
    assert.equal(looked.transition, undefined);
    assert.ok((fx.status.addresses ?? []).length > 0, 'addresses come back from the server');
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.rescue.starts().length, 1, 'the command ran once');
    assert.equal(fx.cloud.count('createServer'), 1);
  });
});
