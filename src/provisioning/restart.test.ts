import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';

/** How many reconciles a clean run takes (each is a place where the controller may die). */
async function cleanSteps(): Promise<number> {
  const fx = new ProvisioningFixture();
  await fx.runUntil('OperatingSystemRunning');
  return fx.outcomes.length;
}

describe('restart safety: the controller dies after any step, before its status write', () => {
  it('converges every time with exactly one server and one command run', async () => {
    const steps = await cleanSteps();
    for (let crashAt = 0; crashAt < steps; crashAt += 1) {
      const fx = new ProvisioningFixture();
      for (let i = 0; i < crashAt; i += 1) fx.waitAsAsked(await fx.step());
      // A restarted controller reconciles every object at once, whatever the dead one planned.
      await fx.step({ persist: false });
      await fx.runUntil('OperatingSystemRunning');
      const where = `crash after step ${crashAt}`;
      assert.equal(fx.cloud.servers.size, 1, where);
      assert.equal(fx.rescue.starts().length, 1, where);
      assert.equal(fx.status.ready, true, where);
      assert.equal(fx.rescue.boots.filter((boot) => boot.rebooted).length, 1, where);
    }
  });
});
