import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import type { BootState } from './boot-state.js';
import { reasonStrings } from './reasons.js';
import { bootStateTable } from './states.js';

/** A fixture held in `state`: what keeps it there is whatever the state waits for. */
async function heldIn(state: BootState): Promise<ProvisioningFixture> {
  // Without resets, BootingToRescue fails like the others (rescue-boot-retry.test.ts has the resets).
  const fx = new ProvisioningFixture({ settings: { rescueBootResets: 0 } });
  fx.rescue.script = { ...fx.rescue.script, runningPolls: state === 'BootingToRealOS' ? 0 : 1000 };
  if (state === '') {
    await fx.step();
    // An API that keeps failing (a rejected create waits without a clock: create-rejection.ts).
    fx.cloud.fail('createServer', 'server_error', 'internal error', 100);
    await fx.step();
    return fx;
  }
  await fx.runUntil(state);
  return fx;
}

const limits: [BootState, number][] = [
  ['', 6],
  ['Initializing', 6],
  ['EnablingRescue', 6],
  ['BootingToRescue', 6],
  ['RunningImageCommand', 7],
  ['BootingToRealOS', 6],
];

describe('timeouts: one rule, checked before any port call', () => {
  for (const [state, minutes] of limits) {
    it(`fails ${JSON.stringify(state)} after ${minutes} min with its own TimedOut reason, calling nothing`, async () => {
      const fx = await heldIn(state);
      const since = fx.status.bootStateSince;
      assert.ok(since);
      fx.clock.current = new Date(since.getTime() + minutes * 60_000 + 1_000);
      fx.rescue.sshMode = 'SSH_UNREACHABLE';
      const calls = fx.cloud.count();
      const outcome = await fx.step();
      const spec = bootStateTable[state];
      assert.ok('timeout' in spec);
      assert.equal(fx.status.bootState, 'ProvisioningFailed');
      assert.equal(outcome.remediate, true);
      assert.deepEqual(outcome.requeue, { kind: 'none' });
      assert.equal(fx.cloud.count(), calls, 'no hcloud call');
      const condition = fx.status.conditions?.[spec.timeout.reason.type];
      assert.ok(condition);
      assert.equal(condition.reason, spec.timeout.reason.reason);
      assert.equal(condition.message, `${spec.timeout.text}, in this state since ${minutes}m1s`);
      assert.equal(outcome.transition?.reason, spec.timeout.reason.reason);
    });
  }

  it('does not fire a moment before the limit', async () => {
    const fx = await heldIn('BootingToRescue');
    const since = fx.status.bootStateSince;
    assert.ok(since);
    fx.clock.current = new Date(since.getTime() + 6 * 60_000 - 1);
    fx.rescue.sshMode = 'SSH_REFUSED';
    await fx.step();
    assert.equal(fx.status.bootState, 'BootingToRescue');
  });

  it('honours configured timeouts, and never waits past one', async () => {
    const fx = new ProvisioningFixture({ settings: { timeoutsMs: { RunningImageCommand: 30_000 } } });
    fx.rescue.script = { ...fx.rescue.script, runningPolls: 1000 };
    await fx.runUntil('RunningImageCommand');
    const outcome = await fx.runUntil('ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'RunningImageURLCommandTimedOut');
    assert.equal(outcome.transition?.from, 'RunningImageCommand');
    const held = fx.transitions.find((t) => t.from === 'RunningImageCommand');
    assert.ok(held && held.durationMs <= 31_000, `${held?.durationMs}`);
  });
});

describe('command timeout', () => {
  it('fails after 8 min with SSH unusable: no hcloud call, dedicated reasons, Warning ImageURLCommandFailed', async () => {
    const fx = await heldIn('RunningImageCommand');
    const since = fx.status.bootStateSince;
    assert.ok(since);
    const conditions = { ...fx.status.conditions };
    delete conditions.ServerProvisioned;
    fx.status = { ...fx.status, conditions };
    fx.clock.current = new Date(since.getTime() + 8 * 60_000);
    fx.rescue.sshMode = 'SSH_UNREACHABLE';
    const calls = fx.cloud.count();
    const outcome = await fx.step();

    assert.equal(outcome.remediate, true);
    assert.equal(fx.cloud.count(), calls);
    assert.equal(fx.host()?.observations, 0, 'the command was never observed after the timeout');
    assert.equal(fx.rescue.starts().length, 1);
    const condition = fx.condition('ServerProvisioned');
    assert.equal(condition?.reason, 'RunningImageURLCommandTimedOut');
    assert.deepEqual(reasonStrings({ type: 'ServerProvisioned', reason: 'RunningImageURLCommandTimedOut' }), {
      v1beta1: 'RunningImageCommandTimedOut',
      v1beta2: 'RunningImageURLCommandTimedOut',
    });
    const [event] = fx.events.withReason('ImageURLCommandFailed');
    assert.ok(event);
    assert.equal(event.type, 'Warning');
    assert.match(
      event.message,
      /^image URL command timed out, in this state since 8m0s\n--- output unavailable: /,
    );
  });

  it('stops a command that is still running and puts its output into the Warning event', async () => {
    const fx = await heldIn('RunningImageCommand');
    fx.rescue.script = { ...fx.rescue.script };
    const host = fx.host();
    assert.ok(host);
    host.script = { ...host.script, log: 'downloading 10%\ndownloading 11%\n' };
    fx.clock.advance(7 * 60_000 + 1);
    await fx.step();
    assert.equal(host.stopped, true);
    const [event] = fx.events.withReason('ImageURLCommandFailed');
    assert.match(event?.message ?? '', /--- output: 32 bytes ---\ndownloading 10%\ndownloading 11%\n$/);
  });
});
