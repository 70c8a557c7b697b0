import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type RemediationInput } from './decide.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function input(overrides: Partial<RemediationInput> = {}): RemediationInput {
  return {
    strategy: { type: 'Reboot', retryLimit: 1, timeoutMs: 3 * MINUTE, cooldownMs: 30 * MINUTE },
    phase: '',
    retryCount: 0,
    lastRemediatedMs: undefined,
    bootState: 'OperatingSystemRunning',
    noServer: undefined,
    nodeHealthy: false,
    machineLastRemediatedMs: undefined,
    nowMs: T0,
    ...overrides,
  };
}

describe('reboot remediation decisions', () => {
  it('with retryLimit 1: reboots once, waits the timeout, then hands the machine to Cluster API', () => {
    assert.deepEqual(decide(input()), { kind: 'reboot', phase: 'Waiting', requeueAfterMs: 3 * MINUTE });
    const rebooted = { phase: 'Waiting', retryCount: 1, lastRemediatedMs: T0 };
    assert.deepEqual(decide(input({ ...rebooted, nowMs: T0 + MINUTE })), {
      kind: 'wait',
      phase: 'Waiting',
      requeueAfterMs: 2 * MINUTE,
    });
    assert.deepEqual(decide(input({ ...rebooted, nowMs: T0 + 3 * MINUTE })), {
      kind: 'hand-over',
      reason: 'WaitingForRemediation',
      message: 'exit remediation because retryLimit is reached and reboot timed out',
    });
  });

  it('keeps the Machine when its node is healthy once the timeout is over', () => {
    const rebooted = { phase: 'Waiting', retryCount: 1, lastRemediatedMs: T0, nodeHealthy: true };
    assert.equal(decide(input({ ...rebooted, nowMs: T0 + 3 * MINUTE })).kind, 'succeeded');
  });

  it('reboots retryLimit times, timeout apart, before waiting', () => {
    const strategy = { type: 'Reboot', retryLimit: 2, timeoutMs: MINUTE, cooldownMs: 0 };
    assert.deepEqual(decide(input({ strategy })), {
      kind: 'reboot',
      phase: 'Running',
      requeueAfterMs: MINUTE,
    });
    const once = { strategy, phase: 'Running', retryCount: 1, lastRemediatedMs: T0 };
    assert.equal(decide(input({ ...once, nowMs: T0 + 30_000 })).kind, 'wait');
    assert.deepEqual(decide(input({ ...once, nowMs: T0 + MINUTE })), {
      kind: 'reboot',
      phase: 'Waiting',
      requeueAfterMs: MINUTE,
    });
  });

  it('hands over without a reboot: retryLimit 0, no server, or a machine that never booted', () => {
    const none = { type: 'Reboot', retryLimit: 0, timeoutMs: MINUTE, cooldownMs: 0 };
    assert.match(messageOf(decide(input({ strategy: none }))), /retryLimit is 0 \(no reboot performed\)/);
    assert.equal(messageOf(decide(input({ noServer: 'ProviderID is not set' }))), 'ProviderID is not set');
    assert.match(messageOf(decide(input({ bootState: 'BootingToRescue' }))), /BootState BootingToRescue/);
  });

  it('replaces rather than reboots a machine remediated within the cooldown', () => {
    const decision = decide(input({ machineLastRemediatedMs: T0 - 10 * MINUTE }));
    assert.deepEqual(decision, {
      kind: 'hand-over',
      reason: 'RemediationCooldownTriggered',
      message: 'skipping reboot: last remediation completed 600s ago (cooldown window: 1800s)',
    });
    assert.equal(decide(input({ machineLastRemediatedMs: T0 - 31 * MINUTE })).kind, 'reboot');
  });

  it('does nothing for a finished remediation or one without a usable strategy', () => {
    assert.deepEqual(decide(input({ phase: 'Deleting machine' })), { kind: 'none' });
    assert.deepEqual(decide(input({ phase: 'Succeeded' })), { kind: 'none' });
    assert.equal(decide(input({ strategy: undefined })).kind, 'none');
  });
});

function messageOf(decision: ReturnType<typeof decide>): string {
  return decision.kind === 'hand-over' ? decision.message : assert.fail(`not a hand-over: ${decision.kind}`);
}
