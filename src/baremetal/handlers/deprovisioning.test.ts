import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture, provisioningRequest } from '../../../test/fixtures/baremetal-fixture.js';
import type { HostState } from '../host-state.js';

const claimed: HostState[] = [
  'preparing',
  'registering',
  'image-installing',
  'ensure-provisioned',
  'provisioned',
];

describe('host state deprovisioning', () => {
  it('returns a provisioned host to available: rescue disarmed, server named after the host, claim cleared', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('provisioned');
    fx.release();
    await fx.runUntil('');
    const outcome = fx.outcomes.at(-1);
    assert.equal(outcome?.released, true);
    assert.equal(fx.server.name, 'host-321');
    assert.equal(fx.server.rescue.active, false);
    const status = fx.status;
    for (const key of [
      'rebootTriggeredAt',
      'lastReboot',
      'imageUrlCommandStartedAt',
      'rescueHostKey',
      'sshStatus',
      'errorType',
      'errorMessage',
      'conditions',
    ] as const) {
      assert.equal(status[key], undefined, key);
    }
    assert.equal(status.ipv4, fx.server.ipv4, 'the host’s own facts stay');
    assert.equal(status.hardwareDetails?.storage?.length, 2);
    assert.equal(status.errorCount, 0);
    const again = await fx.step();
    assert.equal(again.result, 'blocked', 'available and idle');
  });

  for (const state of claimed) {
    it(`deprovisions from ${state} when the machine releases the host`, async () => {
      const fx = new BareMetalFixture();
      fx.rescue.script = { ...fx.rescue.script, runningPolls: state === 'image-installing' ? 1000 : 0 };
      await fx.runUntil(state);
      fx.release();
      await fx.runUntil('');
      assert.equal(fx.server.rescue.active, false);
      assert.equal(fx.status.rescueHostKey, undefined);
      assert.equal(fx.transitions.at(-2)?.to, 'deprovisioning');
    });
  }

  it('stops a command that still runs, so nothing keeps writing the disk', async () => {
    const fx = new BareMetalFixture();
    fx.rescue.script = { ...fx.rescue.script, runningPolls: 1000 };
    await fx.runUntil('image-installing');
    await fx.step();
    fx.release();
    await fx.runUntil('');
    assert.equal(fx.rescue.boots.find((boot) => boot.starts.length > 0)?.stopped, true);
    assert.equal(fx.outcomes.at(-1)?.message, 'Deprovisioned; stopped the image-url-command');
  });

  it('a failed host goes back to available after remediation and provisions again on a fresh rescue boot', async () => {
    const fx = new BareMetalFixture();
    fx.rescue.script = { ...fx.rescue.script, runningPolls: 0, outcome: 'failed' };
    await fx.runUntil('image-installing');
    await fx.step();
    const failed = await fx.step();
    assert.equal(failed.remediate, true);
    fx.release();
    await fx.runUntil('');
    assert.equal(fx.status.errorType, undefined);
    fx.rescue.script = { ...fx.rescue.script, outcome: 'succeeded' };
    fx.input = { ...fx.input, request: provisioningRequest({ hostname: 'bm-my-machine-2' }) };
    await fx.runUntil('provisioned');
    const starts = fx.rescue.starts();
    assert.equal(starts.length, 2, 'one command run per attempt');
    assert.notEqual(starts[0]?.attemptId, starts[1]?.attemptId);
  });

  it('deprovisions a host that is being deleted and then reports it released', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('registering');
    fx.input = { ...fx.input, deleting: true };
    await fx.runUntil('');
    assert.equal(fx.outcomes.at(-1)?.released, true);
  });

  it('retries Robot failures while deprovisioning with backoff', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('provisioned');
    fx.release();
    await fx.step();
    fx.robot.fail('deactivateRescue', 'ROBOT_UNAVAILABLE');
    const outcome = await fx.step();
    assert.equal(outcome.requeue.kind, 'backoff');
    assert.equal(fx.status.provisioningState, 'deprovisioning');
    fx.waitAsAsked(outcome);
    await fx.step();
    assert.equal(fx.status.provisioningState, '');
  });
});
