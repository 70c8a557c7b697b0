import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../../test/fixtures/provisioning-fixture.js';
import { reasonStrings } from '../reasons.js';

async function bootingToRescue(): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  await fx.runUntil('BootingToRescue');
  return fx;
}

describe('boot state BootingToRescue', () => {
  it('refused SSH → retry in 1 s without any hcloud call; later the command starts once', async () => {
    const fx = await bootingToRescue();
    const calls = fx.cloud.count();
    fx.rescue.sshMode = 'SSH_REFUSED';
    const refused = await fx.step();
    assert.deepEqual(refused.requeue, { kind: 'after', ms: 1_000 });
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'RetryingSSHConnection');
    const message = fx.condition('ServerProvisioned')?.message ?? '';
    assert.doesNotMatch(message, /^[a-z]+[A-Z]\w*:/, 'a function name in a condition message');
    assert.equal(fx.status.bootState, 'BootingToRescue');
    assert.equal(fx.cloud.count(), calls);
    assert.equal(fx.cloud.count('getServer'), 0);

    fx.rescue.sshMode = 'ok';
    const started = await fx.step();
    assert.equal(fx.status.bootState, 'RunningImageCommand');
    assert.deepEqual(started.requeue, { kind: 'after', ms: 10_000 });
    assert.equal(fx.rescue.starts().length, 1);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'CustomProvisionerRunning');
    assert.equal(fx.status.rescueHostKey, fx.host()?.hostKey, 'the rescue host key is pinned');
  });

  it('a hostname other than rescue fails the machine before anything is copied', async () => {
    const fx = await bootingToRescue();
    const host = fx.host();
    assert.ok(host);
    host.hostname = 'ubuntu';
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'UnexpectedHostname');
    assert.match(fx.condition('ServerProvisioned')?.message ?? '', /"ubuntu"\. Expected 'rescue'/);
    assert.equal(fx.rescue.starts().length, 0);
    assert.equal(fx.status.rescueHostKey, undefined, 'a system that is not rescue is never pinned');
  });

  it('a failing launcher (non-zero exit) fails with StartImageURLCommandNonZeroExitCode', async () => {
    const fx = await bootingToRescue();
    fx.rescue.fail('start', 'RESCUE_REMOTE_FAILED');
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    const condition = fx.condition('ServerProvisioned');
    assert.equal(condition?.reason, 'StartImageURLCommandNonZeroExitCode');
    assert.deepEqual(
      reasonStrings({ type: 'ServerProvisioned', reason: 'StartImageURLCommandNonZeroExitCode' }),
      {
        v1beta1: 'StartImageURLCommandNoZeroExitCode',
        v1beta2: 'StartImageURLCommandNonZeroExitCode',
      },
    );
  });

  it('retries a start whose connection broke with the same attempt, so the command runs once', async () => {
    const fx = await bootingToRescue();
    fx.rescue.fail('start', 'SSH_CONNECTION_LOST');
    const broken = await fx.step();
    assert.equal(broken.result, 'error');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'StartImageURLCommandFailed');
    assert.match(fx.condition('ServerProvisioned')?.message ?? '', /retrying/);
    fx.waitAsAsked(broken);
    await fx.step();
    assert.equal(fx.status.bootState, 'RunningImageCommand');
    assert.equal(fx.rescue.starts().length, 1);
  });

  it('restart safety: a start that was not recorded is found again instead of started twice', async () => {
    const fx = await bootingToRescue();
    await fx.step({ persist: false });
    assert.equal(fx.status.bootState, 'BootingToRescue');
    const again = await fx.step();
    assert.equal(again.message, 'Found the image-url-command already started');
    assert.equal(fx.status.bootState, 'RunningImageCommand');
    assert.equal(fx.rescue.starts().length, 1);
  });

  it('fails when the pinned rescue host key changes (a new boot or someone in between)', async () => {
    const fx = await bootingToRescue();
    fx.status = { ...fx.status, rescueHostKey: 'SHA256:someone-else' };
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'RescueHostKeyChanged');
    assert.equal(fx.rescue.starts().length, 0);
  });

  it('keeps trying after other SSH errors (auth failed) every 5 s with the reason Unknown', async () => {
    const fx = await bootingToRescue();
    fx.rescue.sshMode = 'SSH_AUTH_FAILED';
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 });
    assert.equal(fx.condition('ServerProvisioned')?.status, 'Unknown');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'GettingHostnameFailed');
  });

  it('hands the command the spec arguments and keeps the bootstrap data and token out of status and events', async () => {
    const fx = await bootingToRescue();
    await fx.step();
    const [start] = fx.rescue.starts();
    assert.ok(start);
    assert.equal(start.imageUrl, fx.input.imageUrl);
    assert.equal(start.machineName, 'my-machine');
    assert.deepEqual(start.rootDevices, ['sda']);
    assert.deepEqual(start.command, { bytes: fx.commands.files.get(fx.input.commandName) });
    const visible = JSON.stringify([fx.status, fx.events.events]);
    assert.doesNotMatch(visible, /cloud-config|registry-token/);
  });
});
