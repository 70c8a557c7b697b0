import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BareMetalFixture,
  rescueFingerprint,
  rescuePublicKey,
  serverNumber,
} from '../../../test/fixtures/baremetal-fixture.js';

async function preparing(fx = new BareMetalFixture()): Promise<BareMetalFixture> {
  await fx.runUntil('preparing');
  return fx;
}

describe('host state preparing', () => {
  it('stores the addresses and the rescue key, arms rescue with its fingerprint and resets (sw) into it', async () => {
    const fx = await preparing();
    const outcome = await fx.step();
    assert.equal(fx.status.provisioningState, 'registering');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 15_000 });
    assert.equal(fx.status.ipv4, fx.server.ipv4);
    assert.equal(fx.status.ipv6, `2001:db8:${serverNumber}::1`);
    assert.deepEqual(fx.status.rebootTypes, ['sw', 'hw', 'power', 'man']);
    assert.deepEqual(fx.status.sshStatus?.rescueKey, { name: 'rescue', fingerprint: rescueFingerprint });
    const activation = fx.robot.calls.find((call) => call.method === 'activateRescue');
    assert.deepEqual(activation?.input, { serverNumber, authorizedKeyFingerprints: [rescueFingerprint] });
    assert.deepEqual(fx.server.resets, ['sw']);
    assert.equal(fx.status.lastReboot, 'sw');
    assert.deepEqual(fx.status.rebootTriggeredAt, fx.clock.now());
    assert.equal(fx.host()?.system, 'rescue');
    assert.equal(fx.events.withReason('RebootBMServerViaRobot').length, 1);
    assert.equal(fx.robot.count('createSshKey'), 1);
    assert.equal(fx.robot.count('deactivateRescue'), 0, 'nothing was armed, so nothing to disarm');
  });

  it('uses the key Robot already stores (under any name) instead of uploading it again', async () => {
    const fx = await preparing();
    await fx.robot.createSshKey({ name: 'someone-elses-name', publicKey: rescuePublicKey });
    fx.robot.calls.length = 0;
    await fx.step();
    assert.equal(fx.robot.count('createSshKey'), 0);
    assert.deepEqual(fx.status.sshStatus?.rescueKey, {
      name: 'someone-elses-name',
      fingerprint: rescueFingerprint,
    });
  });

  it('disarms a leftover activation (other keys) before arming its own', async () => {
    const fx = await preparing();
    await fx.robot.createSshKey({
      name: 'old',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9sZA== old',
    });
    fx.server.rescue = { active: true, fingerprints: [fx.robot.keys[0]?.fingerprint ?? ''] };
    await fx.step();
    assert.equal(fx.robot.count('deactivateRescue'), 1);
    assert.equal(fx.host()?.system, 'rescue');
    assert.equal(fx.status.provisioningState, 'registering');
  });

  it('resets by hardware where sw is not offered, and powers on a server that is off', async () => {
    const hw = await preparing();
    hw.server.resetTypes = ['hw', 'man'];
    await hw.step();
    assert.deepEqual(hw.server.resets, ['hw']);

    const off = await preparing();
    off.server.operatingStatus = 'shut off';
    await off.step();
    assert.deepEqual(off.server.resets, ['power']);
    assert.equal(off.status.lastReboot, 'power');
  });

  it('fails permanently for a server Robot does not know, or one without IPv4 (remediation)', async () => {
    const missing = new BareMetalFixture({ input: { serverId: 999 } });
    await missing.runUntil('preparing');
    const outcome = await missing.step();
    assert.equal(outcome.remediate, true);
    assert.equal(missing.status.errorType, 'permanent error');
    assert.equal(missing.condition()?.reason, 'ServerNotFound');
    assert.equal(missing.status.provisioningState, 'preparing', 'a failure keeps the state (CAPH)');

    const noIpv4 = await preparing();
    delete noIpv4.server.ipv4;
    await noIpv4.step();
    assert.equal(noIpv4.condition()?.reason, 'ServerHasNoIPv4');
    assert.equal(noIpv4.status.errorType, 'permanent error');
    assert.equal(noIpv4.robot.count('reset'), 0);
  });

  it('waits for a missing rescue key secret without calling Robot', async () => {
    const fx = new BareMetalFixture({
      input: { rescueKey: { status: 'unavailable', message: 'secret rescue-ssh not found' } },
    });
    await fx.runUntil('preparing');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 60_000 });
    assert.equal(fx.condition()?.reason, 'RescueKeyUnavailable');
    assert.equal(fx.robot.count(), 0);
  });

  it('stops on wrong Robot credentials, waits out Robot’s limit, retries other Robot failures with backoff', async () => {
    const fx = await preparing();
    fx.robot.fail('getServer', 'ROBOT_UNAUTHORIZED');
    const denied = await fx.step();
    assert.equal(denied.result, 'blocked');
    assert.deepEqual(denied.requeue, { kind: 'none' });
    assert.equal(fx.condition()?.reason, 'RobotCredentialsInvalid');

    fx.robot.fail('reset', 'ROBOT_RATE_LIMITED', { retryAfterMs: 600_000 });
    const limited = await fx.step();
    assert.deepEqual(limited.requeue, { kind: 'after', ms: 600_000 });
    assert.equal(fx.condition()?.reason, 'RobotRateLimited');

    fx.robot.fail('getResetOptions', 'ROBOT_UNAVAILABLE', {}, 2);
    const first = await fx.step();
    const second = await fx.step();
    assert.deepEqual(
      [first.requeue.kind, first.requeue.kind === 'backoff' && first.requeue.ms],
      ['backoff', 1_000],
    );
    assert.equal(second.requeue.kind === 'backoff' && second.requeue.ms, 2_000);
    assert.equal(fx.status.errorType, 'preparation error');
    assert.equal(fx.status.errorCount, 2);
    await fx.step();
    assert.equal(fx.status.provisioningState, 'registering');
    assert.equal(fx.status.errorType, undefined, 'a step that works clears the error');
    assert.equal(fx.status.errorCount, 0);
  });
});
