import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture } from '../../test/fixtures/baremetal-fixture.js';

/** How many reconciles a clean run takes (each is a place where the controller may die). */
async function cleanSteps(): Promise<number> {
  const fx = new BareMetalFixture();
  await fx.runUntil('provisioned');
  return fx.outcomes.length;
}

describe('bare-metal restart safety: the controller dies after any step, before its status write', () => {
  it('converges every time, with the command run once and one reboot out of rescue', async () => {
    const steps = await cleanSteps();
    for (let crashAt = 0; crashAt < steps; crashAt += 1) {
      const fx = new BareMetalFixture();
      for (let i = 0; i < crashAt; i += 1) fx.waitAsAsked(await fx.step());
      await fx.step({ persist: false });
      await fx.runUntil('provisioned');
      const where = `crash after step ${crashAt}`;
      assert.equal(fx.rescue.starts().length, 1, where);
      assert.equal(fx.rescue.boots.filter((boot) => boot.rebooted).length, 1, where);
      assert.equal(fx.host()?.hostname, 'bm-my-machine', where);
      assert.equal(fx.status.errorType, undefined, where);
    }
  });
});
