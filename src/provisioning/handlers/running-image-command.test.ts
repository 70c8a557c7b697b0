import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputJsonReading } from '../../ports/rescue-system.js';
import {
  ProvisioningFixture,
  registryToken,
  type CommandScript,
} from '../../../test/fixtures/provisioning-fixture.js';

async function runningCommand(script: Partial<CommandScript> = {}): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  fx.rescue.script = { ...fx.rescue.script, ...script };
  await fx.runUntil('RunningImageCommand');
  return fx;
}

const message = (text: string): OutputJsonReading => ({ status: 'message', message: text });

describe('boot state RunningImageCommand', () => {
  it('while running, output.json’s message is the condition message; polls every second', async () => {
    const cases: [OutputJsonReading, string][] = [
      [message('downloading image 42%'), 'downloading image 42%'],
      [message(''), 'custom provisioner running'],
      [{ status: 'absent' }, 'custom provisioner running'],
    ];
    for (const [outputJson, expected] of cases) {
      const fx = await runningCommand({ runningPolls: 5, outputJson });
      const outcome = await fx.step();
      assert.deepEqual(outcome.requeue, { kind: 'after', ms: 1_000 });
      assert.equal(fx.status.bootState, 'RunningImageCommand');
      assert.equal(fx.condition('ServerProvisioned')?.reason, 'CustomProvisionerRunning');
      assert.equal(fx.condition('ServerProvisioned')?.message, expected);
    }
  });

  it('an unreadable output.json while running is no error', async () => {
    const fx = await runningCommand({
      runningPolls: 5,
      outputJson: { status: 'unreadable', problem: 'does not end with }' },
    });
    const outcome = await fx.step();
    assert.equal(outcome.result, 'continue');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 1_000 });
    assert.equal(fx.status.bootState, 'RunningImageCommand');
  });

  it('success wins over output.json saying Failed; the next step reboots into the disk', async () => {
    const fx = await runningCommand({ runningPolls: 0, outputJson: message('disk full') });
    await fx.step();
    assert.equal(fx.status.bootState, 'BootingToRealOS');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'BootingToRealOS');
    assert.equal(fx.condition('ServerProvisioned')?.message, 'Operating system of node is booting');
    assert.equal(fx.events.withReason('ImageURLCommandSucceeded').length, 1);
    await fx.step();
    assert.equal(fx.rescue.boots[0]?.rebooted, true);
  });

  it('a failed command fails the machine with output.json’s message and a Warning event with the output', async () => {
    const fx = await runningCommand({
      runningPolls: 0,
      outcome: 'failed',
      log: 'downloading\nerror: no space left on device\n',
      outputJson: message('disk full'),
    });
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'CustomProvisionerFailed');
    assert.equal(fx.condition('ServerProvisioned')?.message, 'disk full');
    const [event, ...more] = fx.events.withReason('ImageURLCommandFailed');
    assert.equal(more.length, 0);
    assert.ok(event);
    assert.equal(event.type, 'Warning');
    assert.match(event.message, /disk full/);
    assert.match(event.message, /error: no space left on device/);
    assert.equal(fx.events.withReason('HCloudMachineWillBeRemediated').length, 1);
  });

  it('uses the missing-marker message when the command wrote no output.json', async () => {
    const fx = await runningCommand({ runningPolls: 0, outcome: 'failed', log: 'done\n' });
    await fx.step();
    assert.match(fx.condition('ServerProvisioned')?.message ?? '', /IMAGE_URL_DONE not found/);
  });

  it('a failed command with malformed output.json is an error ("failed to parse"), not yet a failure', async () => {
    const fx = await runningCommand({
      runningPolls: 0,
      outcome: 'failed',
      outputJson: { status: 'unreadable', problem: 'does not end with }' },
    });
    const outcome = await fx.step();
    assert.equal(outcome.result, 'error');
    assert.ok(outcome.requeue.kind === 'backoff');
    assert.match(String(outcome.requeue.cause), /failed to parse/);
    assert.equal(outcome.remediate, false);
    assert.equal(fx.status.bootState, 'RunningImageCommand');
  });

  it('redacts the registry token from the output in events', async () => {
    const fx = await runningCommand({ runningPolls: 0, log: `token=${registryToken}\nIMAGE_URL_DONE\n` });
    await fx.step();
    const [event] = fx.events.withReason('ImageURLCommandSucceeded');
    assert.ok(event);
    assert.doesNotMatch(event.message, new RegExp(registryToken));
  });

  it('restart safety: a restart while the command runs never starts it again', async () => {
    const fx = await runningCommand({ runningPolls: 3 });
    await fx.step({ persist: false });
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.rescue.starts().length, 1);
  });

  it('takes the pin again after a status rebuilt without it, once the system answers as rescue', async () => {
    const fx = await runningCommand({ runningPolls: 3 });
    const { rescueHostKey, ...rest } = fx.status;
    assert.ok(rescueHostKey);
    fx.status = rest;
    await fx.step();
    assert.equal(fx.status.rescueHostKey, rescueHostKey);
    assert.equal(fx.status.bootState, 'RunningImageCommand');
  });

  it('retries with backoff when the rescue system does not answer (until the timeout decides)', async () => {
    const fx = await runningCommand({ runningPolls: 3 });
    fx.rescue.sshMode = 'SSH_TIMEOUT';
    const outcome = await fx.step();
    assert.equal(outcome.result, 'error');
    assert.equal(fx.status.bootState, 'RunningImageCommand');
  });
});
