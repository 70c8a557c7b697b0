import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../../test/fixtures/provisioning-fixture.js';

const ownLabels = {
  'caph-cluster-my-cluster': 'owned',
  'machine.caph-name': 'my-machine',
  machine_type: 'worker',
  'imageurl.io/namespace': 'default',
};

describe('boot state "" (create the server)', () => {
  it('a missing command file stops before any server is created and is looked at again each minute', async () => {
    const fx = new ProvisioningFixture({ input: { commandName: 'image-url-command-missing.sh' } });
    const outcome = await fx.step();
    assert.equal(fx.cloud.count(), 0);
    // CAPH does not requeue; we do, so that adding the file lets the machine go on (README).
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 60_000 });
    assert.equal(fx.condition('ServerProvisioned')?.status, 'False');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'ImageURLCommandNotAccessible');
    assert.match(fx.condition('ServerProvisioned')?.message ?? '', /image-url-command-missing\.sh/);
    assert.equal(fx.status.bootState, '');
  });

  it('goes on once the missing command file appears, and times out in the unset state if it never does', async () => {
    const missing = 'image-url-command-later.sh';
    const fx = new ProvisioningFixture({ input: { commandName: missing } });
    await fx.step();
    fx.clock.advance(60_000);
    await fx.step();
    assert.equal(fx.cloud.count(), 0);
    fx.commands.files.set(missing, Buffer.from('#!/bin/sh\necho IMAGE_URL_DONE\n'));
    await fx.runUntil('Initializing');
    assert.equal(fx.cloud.count('createServer'), 1);

    const never = new ProvisioningFixture({ input: { commandName: missing } });
    await never.step();
    never.clock.advance(6 * 60_000 + 1);
    await never.step();
    assert.equal(never.status.bootState, 'ProvisioningFailed');
    assert.equal(never.condition('ServerCreated')?.reason, 'BootStateUnsetTimedOut');
    assert.equal(never.cloud.count(), 0);
  });

  it('an unconfigured rescue key secret stops before any server, without requeue', async () => {
    const fx = new ProvisioningFixture({ input: { rescueKey: { status: 'secret-ref-not-configured' } } });
    const outcome = await fx.step();
    assert.equal(fx.cloud.count(), 0);
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(outcome.result, 'blocked');
    assert.equal(fx.condition('SSHPrivateKeyAvailable')?.reason, 'SSHPrivateKeySecretRefNotConfigured');
  });

  it('waits a minute for a rescue key secret that is missing or empty', async () => {
    for (const status of ['secret-not-found', 'field-empty'] as const) {
      const fx = new ProvisioningFixture({ input: { rescueKey: { status, message: `key: ${status}` } } });
      const outcome = await fx.step();
      assert.deepEqual(outcome.requeue, { kind: 'after', ms: 60_000 });
      assert.equal(fx.cloud.count(), 0);
      assert.equal(fx.condition('SSHPrivateKeyAvailable')?.status, 'False');
    }
  });

  it('waits for bootstrap data without starting the state clock, so a slow bootstrap never times out', async () => {
    const fx = new ProvisioningFixture({ input: { bootstrapData: undefined } });
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 10_000 });
    assert.equal(fx.condition('BootstrapReady')?.reason, 'BootstrapNotReady');
    assert.equal(fx.condition('ServerCreated')?.reason, 'WaitingForBootstrapData');
    assert.equal(fx.status.bootStateSince, undefined);
    fx.clock.advance(30 * 60_000);
    await fx.step();
    assert.equal(fx.status.bootState, '');
    fx.input = { ...fx.input, bootstrapData: 'data' };
    await fx.runUntil('Initializing');
    assert.equal(fx.condition('BootstrapReady')?.status, 'True');
    assert.equal(fx.cloud.count('createServer'), 1);
  });

  it('records the intent to create before creating, and creates the server with its labels and keys', async () => {
    const fx = new ProvisioningFixture();
    const first = await fx.step();
    assert.equal(fx.cloud.count(), 0);
    assert.equal(fx.status.serverRequested, true);
    assert.equal(first.requeue.kind, 'after');
    const second = await fx.step();
    assert.equal(fx.status.bootState, 'Initializing');
    assert.deepEqual(second.requeue, { kind: 'after', ms: 500 }, 'the first look at create_server');
    assert.deepEqual(fx.server()?.labels, ownLabels);
    assert.deepEqual(fx.status.sshKeys, ['ssh-key-1']);
    assert.equal(fx.status.externalIDs?.actionIdCreateServer, 1000);
    assert.equal(fx.condition('ServerCreated')?.status, 'True');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'Provisioning');
    assert.deepEqual(fx.events.withReason('SuccessfulCreate'), [
      { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created new server my-machine with ID 1' },
    ]);
  });

  it('adopts its own server after uniqueness_error and enables rescue without GetAction next', async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({ id: 42, name: 'my-machine', status: 'off', labels: ownLabels });
    await fx.step();
    const adopted = await fx.step();
    assert.equal(adopted.transition?.to, 'Initializing');
    assert.equal(fx.status.providerID, 'hcloud://42');
    assert.equal(fx.status.externalIDs?.actionIdCreateServer, -1);
    assert.equal(fx.condition('ServerCreated')?.status, 'True');
    assert.equal(fx.events.withReason('AdoptedExistingServer').length, 1);

    fx.waitAsAsked(adopted);
    const before = fx.cloud.count('getAction');
    await fx.step();
    assert.equal(fx.cloud.count('getAction'), before);
    assert.equal(fx.cloud.count('enableRescue'), 1);
    assert.equal(fx.status.bootState, 'EnablingRescue');
  });

  it("refuses to adopt a stranger's server of the same name and asks an operator, waiting 10 minutes at most", async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({ id: 7, name: 'my-machine', status: 'running', labels: { other: 'owner' } });
    await fx.step();
    const outcome = await fx.step();
    assert.equal(fx.status.bootState, '');
    assert.equal(fx.status.providerID, undefined);
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailed');
    assert.match(fx.condition('ServerCreated')?.message ?? '', /delete that server or this Machine/);
    assert.equal(fx.events.withReason('FailedCreateHCloudServer').length, 1);
    assert.ok(outcome.requeue.kind === 'after' && outcome.requeue.ms <= 10 * 60_000);
    assert.equal(fx.cloud.servers.get(7)?.status, 'running', 'the stranger is left alone');
  });

  it('does not retry an invalid create (CreationFailedIrrecoverably) and waits 5 minutes for a missing image', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    fx.cloud.fail('createServer', 'invalid_input', 'invalid input in field server_type');
    const invalid = await fx.step();
    assert.deepEqual(invalid.requeue, { kind: 'none' });
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailedIrrecoverably');

    fx.input = { ...fx.input, serverType: 'cpx32' };
    await fx.step(); // the changed spec re-opens the create
    fx.cloud.fail('createServer', 'not_found', 'image not found');
    const missing = await fx.step();
    assert.deepEqual(missing.requeue, { kind: 'after', ms: 5 * 60_000 });
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailed');
  });

  it('an unauthorized token at create sets HCloudTokenAvailable False and stops without requeue', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    fx.cloud.fail('createServer', 'unauthorized', 'unable to authenticate');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(fx.condition('HCloudTokenAvailable')?.status, 'False');
    assert.equal(fx.condition('HCloudTokenAvailable')?.reason, 'Invalid');
    assert.equal(fx.status.bootState, '');
  });

  it('restart safety: a create whose result was never stored leads to adoption, not a second server', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    await fx.step({ persist: false });
    assert.equal(fx.cloud.servers.size, 1);
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.cloud.servers.size, 1);
    assert.equal(fx.cloud.count('createServer'), 2);
    assert.equal(fx.rescue.starts().length, 1);
  });
});
