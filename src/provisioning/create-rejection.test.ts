import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import { CloudError } from '../ports/cloud-errors.js';

const minute = 60_000;

/** Reconciles every 30 s of the fixture's clock for `ms` (as resyncs and watch events would). */
async function reconcileFor(fx: ProvisioningFixture, ms: number): Promise<void> {
  for (let waited = 0; waited < ms; waited += 30_000) {
    fx.clock.advance(30_000);
    await fx.step();
  }
}

describe('create requests Hetzner rejects (#18)', () => {
  it('an unknown server type: one create call, a terminal condition naming spec.type, no call for 10 minutes; a fixed type goes on', async () => {
    const fx = new ProvisioningFixture({ input: { serverType: 'cx99-unknown' } });
    await fx.step();
    const message = "invalid input in field 'server_type'";
    fx.cloud.failWith('createServer', new CloudError('invalid_input', message, { fields: ['server_type'] }));
    const rejected = await fx.step();
    assert.deepEqual(rejected.requeue, { kind: 'none' });
    const condition = fx.condition('ServerCreated');
    assert.ok(condition);
    assert.equal(condition.reason, 'CreationFailedIrrecoverably');
    assert.equal(condition.severity, 'Error');
    assert.match(condition.message, /spec\.type "cx99-unknown"/);
    assert.match(condition.message, /until the HCloudMachine spec changes/);
    assert.equal(fx.events.withReason('FailedCreateHCloudServer').length, 1);

    const callsBefore = fx.cloud.count();
    await reconcileFor(fx, 10 * minute);
    assert.equal(fx.cloud.count(), callsBefore, 'no Hetzner call of any kind while the spec is unchanged');
    assert.equal(fx.cloud.count('createServer'), 1);
    assert.equal(
      fx.status.bootState,
      '',
      'not failed: Cluster API would replace it with a machine rejected the same way',
    );
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailedIrrecoverably');
    assert.equal(fx.events.withReason('FailedCreateHCloudServer').length, 1, 'no event storm');

    fx.input = { ...fx.input, serverType: 'cpx22' };
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.cloud.count('createServer'), 2);
    assert.equal(fx.condition('ServerProvisioned')?.status, 'True');
  });

  it('quota exceeded: asks again after 5, then 10 minutes, never times out meanwhile, and goes on once the quota allows', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    fx.cloud.fail('createServer', 'resource_limit_exceeded', 'project limit reached', 2);
    const first = await fx.step();
    assert.deepEqual(first.requeue, { kind: 'after', ms: 5 * minute });
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailed');

    await reconcileFor(fx, 5 * minute - 30_000);
    assert.equal(fx.cloud.count('createServer'), 1, 'no call before the wait is over');
    fx.clock.advance(30_000);
    const second = await fx.step();
    assert.equal(fx.cloud.count('createServer'), 2);
    assert.equal(second.requeue.kind, 'after');
    assert.match(fx.condition('ServerCreated')?.message ?? '', /asking again at /);

    await reconcileFor(fx, 10 * minute - 30_000);
    assert.equal(fx.cloud.count('createServer'), 2, 'the second wait is 10 minutes');
    assert.equal(fx.status.bootState, '');
    fx.clock.advance(30_000);
    await fx.step();
    assert.equal(fx.cloud.count('createServer'), 3, 'the third try, after 10 minutes, succeeds');
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.transitions[0]?.to, 'Initializing', 'the unset state did not time out while waiting');
  });

  it('resource_unavailable waits like quota instead of stopping for good', async () => {
    const fx = new ProvisioningFixture();
    await fx.step();
    fx.cloud.fail('createServer', 'resource_unavailable', 'server type not available in location');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5 * minute });
    assert.equal(fx.condition('ServerCreated')?.reason, 'CreationFailed');
  });
});
