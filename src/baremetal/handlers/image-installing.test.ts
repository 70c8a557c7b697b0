import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputJsonReading } from '../../ports/rescue-system.js';
import {
  BareMetalFixture,
  commandName,
  registryToken,
  serverNumber,
  type BareMetalFixtureOptions,
} from '../../../test/fixtures/baremetal-fixture.js';
import type { CommandScript } from '../../../test/fixtures/provisioning-fixture.js';

async function installing(
  script: Partial<CommandScript> = {},
  options: BareMetalFixtureOptions = {},
): Promise<BareMetalFixture> {
  const fx = new BareMetalFixture(options);
  fx.rescue.script = { ...fx.rescue.script, ...script };
  await fx.runUntil('image-installing');
  return fx;
}

const message = (text: string): OutputJsonReading => ({ status: 'message', message: text });

describe('host state image-installing', () => {
  it('starts the command once with the spec arguments and records its start time', async () => {
    const fx = await installing({ runningPolls: 5 });
    const outcome = await fx.step();
    assert.equal(outcome.message, 'Started the image-url-command');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 });
    assert.equal(fx.condition()?.reason, 'ImageURLCommandStarted');
    assert.equal(fx.condition()?.message, 'imageURLCommand started');
    assert.deepEqual(fx.status.imageUrlCommandStartedAt, fx.clock.now());
    const [start, ...more] = fx.rescue.starts();
    assert.ok(start);
    assert.equal(more.length, 0);
    assert.deepEqual(start.command, { bytes: fx.commands.files.get(commandName) });
    assert.equal(start.imageUrl, 'oci://example.com/yourimage:v1');
    assert.equal(start.bootstrapData, '#cloud-config\n');
    assert.equal(start.machineName, 'bm-my-machine');
    assert.deepEqual(start.rootDevices, ['sda']);
    assert.equal(start.registryToken, registryToken);
    assert.match(start.attemptId, new RegExp(`^bm-${serverNumber}-[0-9a-f]{16}$`));
  });

  it('while running, output.json’s message (or "custom provisioner running") is the condition', async () => {
    for (const [outputJson, expected] of [
      [message('downloading image 42%'), 'downloading image 42%'],
      [{ status: 'absent' }, 'custom provisioner running'],
      [{ status: 'unreadable', problem: 'does not end with }' }, 'custom provisioner running'],
    ] as const) {
      const fx = await installing({ runningPolls: 5, outputJson });
      await fx.step();
      const outcome = await fx.step();
      assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 });
      assert.equal(fx.condition()?.reason, 'Provisioning');
      assert.equal(fx.condition()?.message, expected);
      assert.equal(fx.status.provisioningState, 'image-installing');
    }
  });

  it('success → Normal event with the output → ensure-provisioned (which names the server and reboots)', async () => {
    const fx = await installing({ runningPolls: 0, outputJson: message('Failed: ignored') });
    await fx.step();
    await fx.step();
    assert.equal(fx.status.provisioningState, 'ensure-provisioned');
    const [event] = fx.events.withReason('ImageURLCommandSucceeded');
    assert.ok(event);
    assert.equal(event.type, 'Normal');
    assert.match(event.message, /IMAGE_URL_DONE/);
    assert.equal(fx.status.errorType, undefined);
    assert.equal(fx.host()?.rebooted, false, 'the reboot is the next state’s first step');
  });

  it('failure → fatal error, Warning event with the output, remediation; then nothing more', async () => {
    const fx = await installing({
      runningPolls: 0,
      outcome: 'failed',
      log: `using token ${registryToken}\nerror: no space left on device\n`,
      outputJson: message('disk full'),
    });
    await fx.step();
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.status.errorType, 'fatal error');
    assert.equal(fx.status.errorMessage, 'disk full');
    assert.equal(fx.condition()?.reason, 'CustomProvisionerFailed');
    const [event, ...more] = fx.events.withReason('ImageURLCommandFailed');
    assert.equal(more.length, 0);
    assert.ok(event);
    assert.equal(event.type, 'Warning');
    assert.match(event.message, /error: no space left on device/);
    assert.doesNotMatch(JSON.stringify([fx.events.events, fx.status]), new RegExp(registryToken));
    const observations = fx.host()?.observations;
    await fx.step();
    assert.equal(fx.host()?.observations, observations, 'a failed host is not looked at again');
  });

  it('the timeout counts from the command’s start, not from entering the state', async () => {
    const fx = await installing({ runningPolls: 1000, log: 'downloading 10%\n' });
    fx.rescue.sshMode = 'SSH_TIMEOUT';
    fx.clock.advance(5 * 60_000);
    await fx.step();
    fx.rescue.sshMode = 'ok';
    await fx.step();
    const startedAt = fx.status.imageUrlCommandStartedAt;
    assert.ok(startedAt);
    fx.clock.current = new Date(startedAt.getTime() + 7 * 60_000 - 1);
    const before = await fx.step();
    assert.equal(fx.status.errorType, undefined, '12 min in the state, but 7 min since the start: not yet');
    assert.equal(before.requeue.kind === 'after' && before.requeue.ms <= 5_000, true);
    fx.clock.current = new Date(startedAt.getTime() + 7 * 60_000 + 1_000);
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition()?.reason, 'ImageURLCommandTimedOut');
    assert.equal(fx.condition()?.message, 'ImageURLCommand timed out after 7m1s. Deleting machine');
    assert.equal(fx.host()?.stopped, true, 'the command is stopped');
    const [event] = fx.events.withReason('ImageURLCommandFailed');
    assert.match(
      event?.message ?? '',
      /^ImageURLCommand timed out after 7m1s\. Deleting machine\n--- output: .*\ndownloading 10%/,
    );
  });

  it('honours the configured command timeout (the same setting as hcloud’s)', async () => {
    const fx = await installing(
      { runningPolls: 1000 },
      { settings: { timeoutsMs: { 'image-installing': 30_000 } } },
    );
    await fx.step();
    fx.clock.advance(31_000);
    await fx.step();
    assert.equal(fx.condition()?.reason, 'ImageURLCommandTimedOut');
  });

  it('retries transient SSH failures in place: no reset, no second start, the progress is kept', async () => {
    const fx = await installing({ runningPolls: 3 });
    await fx.step();
    for (const mode of ['SSH_TIMEOUT', 'SSH_REFUSED', 'SSH_CONNECTION_LOST', 'SSH_AUTH_FAILED'] as const) {
      fx.rescue.sshMode = mode;
      const outcome = await fx.step();
      assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 }, mode);
      assert.equal(fx.status.provisioningState, 'image-installing');
      assert.equal(fx.condition()?.status, 'Unknown');
      assert.equal(fx.condition()?.reason, 'SSHToRescueSystemFailed');
    }
    fx.rescue.sshMode = 'ok';
    fx.rescue.fail('observe', 'SSH_CONNECTION_LOST');
    await fx.step();
    await fx.runUntil('provisioned');
    assert.equal(fx.rescue.starts().length, 1);
    assert.deepEqual(fx.server.resets, ['sw'], 'no extra reset, no re-provision');
  });

  it('fails when the pinned rescue host key changes (a new boot, or someone in between)', async () => {
    const fx = await installing({ runningPolls: 3 });
    fx.status = { ...fx.status, rescueHostKey: 'SHA256:someone-else' };
    await fx.step();
    assert.equal(fx.condition()?.reason, 'RescueHostKeyChanged');
    assert.equal(fx.status.errorType, 'fatal error');
    assert.equal(fx.rescue.starts().length, 0);
  });

  it('waits for a missing command file (ImageURLCommandNotAccessible, 1 min) without starting anything', async () => {
    const fx = await installing();
    fx.commands.files.clear();
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 60_000 });
    assert.equal(fx.condition()?.reason, 'ImageURLCommandNotAccessible');
    assert.equal(fx.rescue.starts().length, 0);
  });

  it('fails on a launcher failure; retries a start whose connection broke, running the command once', async () => {
    const launcher = await installing();
    launcher.rescue.fail('start', 'RESCUE_REMOTE_FAILED');
    await launcher.step();
    assert.equal(launcher.condition()?.reason, 'StartImageURLCommandFailed');
    assert.match(launcher.condition()?.message ?? '', /non-zero exit status/);
    assert.equal(launcher.status.errorType, 'fatal error');

    const broken = await installing({ runningPolls: 1 });
    broken.rescue.fail('start', 'SSH_CONNECTION_LOST');
    const error = await broken.step();
    assert.equal(error.result, 'error');
    assert.equal(broken.condition()?.reason, 'ImageURLCommandFailedToStart');
    assert.equal(broken.status.errorType, 'provisioning error');
    broken.waitAsAsked(error);
    await broken.runUntil('provisioned');
    assert.equal(broken.rescue.starts().length, 1);
  });

  it('needs the bootstrap data only to start the command: missing before is an error, later it does not matter', async () => {
    const fx = await installing({ runningPolls: 2 });
    const request = fx.input.request;
    assert.ok(request);
    const { bootstrapData, ...withoutData } = request;
    assert.ok(bootstrapData);
    fx.input = { ...fx.input, request: withoutData };
    const missing = await fx.step();
    assert.equal(missing.result, 'error');
    assert.match(fx.status.errorMessage ?? '', /bootstrap data/);
    assert.equal(fx.rescue.starts().length, 0);
    fx.input = { ...fx.input, request };
    fx.waitAsAsked(missing);
    await fx.step();
    fx.input = { ...fx.input, request: withoutData };
    await fx.runUntil('provisioned');
    assert.equal(fx.rescue.starts().length, 1);
  });

  it('a failed command with malformed output.json is an error ("failed to parse"), not yet a failure', async () => {
    const fx = await installing({
      runningPolls: 0,
      outcome: 'failed',
      outputJson: { status: 'unreadable', problem: 'does not end with }' },
    });
    await fx.step();
    const outcome = await fx.step();
    assert.equal(outcome.result, 'error');
    assert.match(fx.status.errorMessage ?? '', /failed to parse/);
    assert.equal(outcome.remediate, false);
  });

  it('restart safety: a start that was not recorded is observed running instead of started twice', async () => {
    const fx = await installing({ runningPolls: 2 });
    await fx.step({ persist: false });
    assert.equal(fx.status.imageUrlCommandStartedAt, undefined);
    await fx.step();
    assert.equal(fx.condition()?.reason, 'Provisioning');
    assert.ok(fx.status.imageUrlCommandStartedAt, 'the start time is taken from the running command');
    await fx.runUntil('provisioned');
    assert.equal(fx.rescue.starts().length, 1);
  });

  it('takes the pin again after a status rebuilt without it, once the system answers as rescue', async () => {
    const fx = await installing({ runningPolls: 3 });
    await fx.step();
    const { rescueHostKey } = fx.status;
    const rebuilt = { ...fx.status };
    delete rebuilt.rescueHostKey;
    delete rebuilt.imageUrlCommandStartedAt;
    fx.status = rebuilt;
    await fx.step();
    assert.equal(fx.status.rescueHostKey, rescueHostKey);
    assert.ok(fx.status.imageUrlCommandStartedAt, 'the start time is taken again');
  });
});
