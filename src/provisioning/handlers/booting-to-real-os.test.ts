import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../../test/fixtures/provisioning-fixture.js';

async function bootingToRealOS(): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  fx.rescue.script = { ...fx.rescue.script, runningPolls: 0 };
  await fx.runUntil('BootingToRealOS');
  return fx;
}

describe('boot state BootingToRealOS', () => {
  it('reboots the pinned rescue system first, then looks at the server', async () => {
    const fx = await bootingToRealOS();
    const reboot = await fx.step();
    assert.equal(reboot.message, 'Rebooting into the installed operating system');
    assert.equal(fx.status.rescueHostKey, undefined);
    assert.equal(fx.cloud.count('getServer'), 0);
    await fx.step();
    assert.equal(fx.status.bootState, 'OperatingSystemRunning');
    assert.equal(fx.status.ready, true);
  });

  it('restart safety: a reboot that was not recorded is recognised (another host key answers) and not repeated', async () => {
    const fx = await bootingToRealOS();
    await fx.step({ persist: false });
    assert.ok(fx.status.rescueHostKey);
    const again = await fx.step();
    assert.equal(again.message, 'The rescue system is gone');
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.rescue.boots.filter((boot) => boot.rebooted).length, 1);
  });

  it('powers on a server found off and looks again after 30 s', async () => {
    const fx = await bootingToRealOS();
    await fx.step();
    const server = fx.server();
    assert.ok(server);
    server.status = 'off';
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 30_000 });
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'ServerOff');
    assert.equal(fx.cloud.count('powerOn'), 2);
    assert.equal(fx.status.instanceState, 'off');
  });

  it('waits 10 s while the server is starting', async () => {
    const fx = await bootingToRealOS();
    await fx.step();
    const server = fx.server();
    assert.ok(server);
    server.status = 'starting';
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 10_000 });
    assert.equal(fx.status.bootState, 'BootingToRealOS');
  });

  it('fails with NoHCloudServerFound (and a Warning) when the server is gone', async () => {
    const fx = await bootingToRealOS();
    await fx.step();
    fx.cloud.servers.clear();
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition('ServerAvailable')?.reason, 'NotFound');
    assert.equal(fx.events.withReason('NoHCloudServerFound').length, 1);
  });
});

describe('boot state OperatingSystemRunning', () => {
  it('keeps a running machine ready and looks again after 10 minutes', async () => {
    const fx = await bootingToRealOS();
    await fx.runUntil('OperatingSystemRunning');
    const outcome = await fx.step();
    assert.equal(outcome.result, 'continue');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 10 * 60_000 });
    assert.equal(fx.status.ready, true);
    assert.equal(outcome.transition, undefined);
  });

  it('does not look at the server again right after BootingToRealOS did (own status write)', async () => {
    const fx = await bootingToRealOS();
    await fx.runUntil('OperatingSystemRunning');
    const looks = fx.cloud.count('getServer');
    const before = fx.status;
    fx.clock.advance(100);
    const outcome = await fx.step();
    assert.equal(fx.cloud.count('getServer'), looks);
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 10 * 60_000 - 100 });
    assert.deepEqual(fx.status, before, 'nothing to write, so no further watch event');
    fx.waitAsAsked(outcome);
    await fx.step();
    assert.equal(fx.cloud.count('getServer'), looks + 1, 'the next look, 10 minutes after the last');
  });

  it('fails a machine whose server vanished', async () => {
    const fx = await bootingToRealOS();
    fx.waitAsAsked(await fx.runUntil('OperatingSystemRunning'));
    fx.cloud.servers.clear();
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
  });

  it('ProvisioningFailed is terminal: nothing is called, remediation is asked for on every call', async () => {
    const fx = await bootingToRealOS();
    fx.cloud.servers.clear();
    await fx.runUntil('ProvisioningFailed');
    const calls = fx.cloud.count();
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(fx.cloud.count(), calls);
  });
});

describe('a server that stays off (CAPH ServerOffTimeout)', () => {
  it('fails the running machine after 10 minutes of power-ons that do not stick', async () => {
    const fx = await bootingToRealOS();
    await fx.runUntil('OperatingSystemRunning');
    const server = fx.server();
    assert.ok(server);
    for (let minute = 0; minute <= 10; minute += 1) {
      server.status = 'off';
      fx.clock.advance(60_000);
      await fx.step();
    }
    assert.equal(fx.status.bootState, 'OperatingSystemRunning');
    server.status = 'off';
    fx.clock.advance(60_000);
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'ServerOffTimeoutReached');
  });
});
