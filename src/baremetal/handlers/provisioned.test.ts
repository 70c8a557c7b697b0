import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture } from '../../../test/fixtures/baremetal-fixture.js';

describe('host state provisioned', () => {
  it('does nothing while the machine uses the host: no call, no requeue', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('provisioned');
    const robotCalls = fx.robot.count();
    const connects = fx.rescue.connects.length;
    const outcome = await fx.step();
    assert.equal(outcome.result, 'blocked');
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(outcome.remediate, false);
    assert.equal(fx.robot.count(), robotCalls);
    assert.equal(fx.rescue.connects.length, connects);
  });

  it('moves to deprovisioning once the machine releases the host', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('provisioned');
    fx.release();
    const outcome = await fx.step();
    assert.equal(fx.status.provisioningState, 'deprovisioning');
    assert.equal(outcome.transition?.from, 'provisioned');
    assert.equal(outcome.transition.durationMs, 0, 'no time passed in the fixture since provisioned');
  });
});
