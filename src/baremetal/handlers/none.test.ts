import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture } from '../../../test/fixtures/baremetal-fixture.js';

describe('host state (none): available', () => {
  it('stays available without any Robot or SSH call and without requeue while unclaimed', async () => {
    const fx = new BareMetalFixture({ input: { request: undefined } });
    const outcome = await fx.step();
    assert.equal(outcome.result, 'blocked');
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(fx.status.provisioningState, '');
    assert.equal(outcome.released, true);
    assert.equal(fx.robot.count(), 0);
    assert.equal(fx.rescue.connects.length, 0);
  });

  it('starts preparing at once when a machine claims the host', async () => {
    const fx = new BareMetalFixture();
    const outcome = await fx.step();
    assert.equal(fx.status.provisioningState, 'preparing');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 1_000 });
    assert.equal(fx.condition()?.reason, 'StillProvisioning');
    assert.equal(fx.condition()?.message, 'host (host-321) is still provisioning - state "preparing"');
    assert.equal(fx.robot.count(), 0);
  });

  it('does not start for a host that is being deleted, and says it is released', async () => {
    const fx = new BareMetalFixture({ input: { deleting: true } });
    const outcome = await fx.step();
    assert.equal(fx.status.provisioningState, '');
    assert.equal(outcome.released, true);
  });
});
