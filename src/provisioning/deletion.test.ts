import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import type { BootState } from './boot-state.js';

describe('deletion', () => {
  it('completes without any hcloud call when no server was ever requested', async () => {
    const fx = new ProvisioningFixture({ input: { bootstrapData: undefined } });
    await fx.step();
    const outcome = await fx.deleteStep();
    assert.equal(outcome.done, true);
    assert.equal(fx.cloud.count(), 0);
    assert.equal(fx.status.instanceState, 'deleting');
    assert.equal(fx.condition('ServerAvailable')?.reason, 'Deleting');
  });

  const states: BootState[] = [
    'Initializing',
    'EnablingRescue',
    'BootingToRescue',
    'RunningImageCommand',
    'BootingToRealOS',
    'OperatingSystemRunning',
  ];
  for (const state of states) {
    it(`deletes the server in ${state} right away, without a shutdown, and leaves nothing behind`, async () => {
      const fx = new ProvisioningFixture();
      fx.rescue.script = { ...fx.rescue.script, runningPolls: 1000 };
      if (state === 'BootingToRealOS' || state === 'OperatingSystemRunning')
        fx.rescue.script.runningPolls = 0;
      await fx.runUntil(state);
      const outcome = await fx.deleteStep();
      assert.equal(outcome.done, true);
      assert.equal(fx.cloud.servers.size, 0);
      assert.equal(fx.cloud.count('deleteServer'), 1);
      assert.deepEqual(
        fx.events.withReason('HCloudServerDeleted').map((event) => event.type),
        ['Normal'],
      );
    });
  }

  it('finds and deletes a server whose create was never recorded (crash right after the create call)', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    await fx.step({ persist: false });
    assert.equal(fx.status.providerID, undefined);
    const outcome = await fx.deleteStep();
    assert.equal(outcome.done, true);
    assert.equal(fx.cloud.servers.size, 0);
  });

  it("leaves a stranger's server of the same name alone", async () => {
    const fx = new ProvisioningFixture();
    fx.cloud.addServer({ name: 'my-machine', labels: { someone: 'else' } });
    await fx.step();
    await fx.step();
    const outcome = await fx.deleteStep();
    assert.equal(outcome.done, true);
    assert.equal(fx.cloud.servers.size, 1);
    assert.equal(fx.cloud.count('deleteServer'), 0);
  });

  it('is done when the server is already gone (Warning NoInstanceFound)', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('Initializing');
    fx.cloud.servers.clear();
    const outcome = await fx.deleteStep();
    assert.equal(outcome.done, true);
    assert.equal(fx.events.withReason('NoInstanceFound').length, 1);
  });

  it('retries after 5 s while the server is locked, and backs off on other errors', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('Initializing');
    fx.cloud.fail('deleteServer', 'locked');
    const locked = await fx.deleteStep();
    assert.equal(locked.done, false);
    assert.deepEqual(locked.requeue, { kind: 'after', ms: 5_000 });
    fx.cloud.fail('deleteServer', 'server_error');
    const failed = await fx.deleteStep();
    assert.equal(failed.done, false);
    assert.equal(failed.requeue.kind, 'backoff');
    const done = await fx.deleteStep();
    assert.equal(done.done, true);
    assert.equal(fx.cloud.servers.size, 0);
  });
});
