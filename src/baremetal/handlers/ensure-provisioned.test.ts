import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BareMetalFixture,
  osPrivateKey,
  provisioningRequest,
} from '../../../test/fixtures/baremetal-fixture.js';

async function ensuring(fx = new BareMetalFixture()): Promise<BareMetalFixture> {
  fx.rescue.script = { ...fx.rescue.script, runningPolls: 0 };
  await fx.runUntil('ensure-provisioned');
  return fx;
}

describe('host state ensure-provisioned', () => {
  it('names the server, reboots out of rescue over SSH, then waits for the OS to answer with the machine’s hostname', async () => {
    const fx = await ensuring();
    const rescueBoot = fx.host();
    const rebooting = await fx.step();
    assert.equal(fx.server.name, 'bm-my-machine', 'Robot names the server after the machine (CAPH)');
    assert.equal(rescueBoot?.rebooted, true);
    assert.equal(fx.status.rescueHostKey, undefined, 'the pin is forgotten with the rescue boot');
    assert.equal(fx.status.lastReboot, 'ssh');
    assert.deepEqual(rebooting.requeue, { kind: 'after', ms: 15_000 });
    assert.equal(fx.events.withReason('RebootBMServerViaSSHProvisioningStateImageInstalling').length, 1);
    assert.deepEqual(fx.server.resets, ['sw'], 'no Robot reset needed');

    await fx.step();
    assert.equal(fx.status.provisioningState, 'provisioned');
    const osLogin = fx.rescue.connects.at(-1);
    assert.equal(osLogin?.privateKey, osPrivateKey);
    assert.equal(osLogin.port, 22);
    assert.equal(fx.condition()?.status, 'True');
    assert.equal(fx.events.withReason('ServerProvisioned').length, 1);
  });

  it('falls back to a Robot reset when the rescue system does not answer for the reboot', async () => {
    const fx = await ensuring();
    fx.rescue.sshMode = 'SSH_TIMEOUT';
    await fx.step();
    assert.deepEqual(fx.server.resets, ['sw', 'sw']);
    assert.equal(fx.status.rescueHostKey, undefined);
    assert.equal(fx.status.lastReboot, 'sw');
    fx.rescue.sshMode = 'ok';
    await fx.step();
    assert.equal(fx.status.provisioningState, 'provisioned');
  });

  it('keeps waiting while the server answers with another hostname; fails after 10 minutes (RebootTimedOut)', async () => {
    const fx = await ensuring();
    await fx.step();
    const host = fx.host();
    assert.ok(host);
    host.hostname = 'ubuntu';
    const waiting = await fx.step();
    assert.deepEqual(waiting.requeue, { kind: 'after', ms: 5_000 });
    assert.match(fx.condition()?.message ?? '', /answers as "ubuntu", expected "bm-my-machine"/);
    fx.rescue.osSshMode = 'SSH_REFUSED';
    await fx.step();
    assert.match(fx.condition()?.message ?? '', /does not answer yet/);
    fx.clock.advance(10 * 60_000 + 1_000);
    const failed = await fx.step();
    assert.equal(failed.remediate, true);
    assert.equal(fx.condition()?.reason, 'RebootTimedOut');
    assert.match(fx.condition()?.message ?? '', /^booting the installed operating system timed out/);
  });

  it('retries a failing Robot rename before the reboot, keeping the pinned rescue boot', async () => {
    const fx = await ensuring();
    fx.robot.fail('renameServer', 'ROBOT_UNAVAILABLE');
    const failed = await fx.step();
    assert.equal(failed.result, 'error');
    assert.equal(fx.status.rescueHostKey, fx.host()?.hostKey, 'still pinned: nothing rebooted yet');
    assert.equal(fx.status.errorType, 'provisioning error');
    fx.waitAsAsked(failed);
    await fx.runUntil('provisioned');
    assert.equal(fx.server.name, 'bm-my-machine');
  });

  it('noSSHAfterInstallImage: provisioned right after the reboot, without logging into the OS', async () => {
    const fx = await ensuring(
      new BareMetalFixture({ input: { request: provisioningRequest({ os: { check: 'none' } }) } }),
    );
    await fx.step();
    await fx.step();
    assert.equal(fx.status.provisioningState, 'provisioned');
    assert.equal(fx.rescue.connects.filter((target) => target.privateKey === osPrivateKey).length, 0);
  });

  it('restart safety: a reboot that was not recorded is noticed (the rescue boot is gone), not repeated', async () => {
    const fx = await ensuring();
    await fx.step({ persist: false });
    const outcome = await fx.step();
    assert.equal(outcome.message, 'The rescue system is gone');
    await fx.step();
    assert.equal(fx.status.provisioningState, 'provisioned');
    assert.equal(fx.rescue.boots.filter((boot) => boot.rebooted).length, 1);
    assert.deepEqual(fx.server.resets, ['sw']);
  });
});
