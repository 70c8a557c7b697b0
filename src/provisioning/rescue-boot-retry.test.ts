import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import type { BootState } from './boot-state.js';

const budgetMs = 6 * 60_000;

/** A machine whose server was powered on into rescue, and whose rescue system does not answer. */
async function silentRescueBoot(fx = new ProvisioningFixture()): Promise<ProvisioningFixture> {
  await fx.runUntil('BootingToRescue');
  fx.rescue.sshMode = 'SSH_UNREACHABLE';
  return fx;
}

/** The ServerProvisioned condition, which these tests are about. */
function provisioned(fx: ProvisioningFixture): { readonly reason: string; readonly message: string } {
  const condition = fx.condition('ServerProvisioned');
  assert.ok(condition, 'a ServerProvisioned condition');
  return condition;
}

/** Read through a call, as every step changes it. */
const stateOf = (fx: ProvisioningFixture): BootState => fx.status.bootState;

/** Waits (as the machine asks) until it leaves BootingToRescue. */
async function untilBudgetRunsOut(fx: ProvisioningFixture): Promise<void> {
  const since = fx.status.bootStateSince?.getTime() ?? assert.fail('no bootStateSince');
  for (let i = 0; i < 500 && stateOf(fx) === 'BootingToRescue'; i += 1) {
    const outcome = await fx.step();
    if (stateOf(fx) === 'BootingToRescue') fx.waitAsAsked(outcome);
  }
  assert.notEqual(fx.status.bootState, 'BootingToRescue');
  assert.ok(fx.clock.current.getTime() - since > budgetMs, 'not before the budget ran out');
}

describe('rescue-boot retry', () => {
  it('power-cycles a server whose first rescue boot never answers once, then reaches running', async () => {
    const fx = await silentRescueBoot();
    await untilBudgetRunsOut(fx);
    assert.equal(fx.status.bootState, 'EnablingRescue');
    const message = 'rescue system did not answer within 360 s; reset 1 of 2';
    const condition = provisioned(fx);
    assert.equal(condition.reason, 'BootingToRescueTimedOut');
    assert.equal(condition.message, message);
    assert.deepEqual(
      fx.events.withReason('RescueBootReset').map((event) => [event.type, event.message]),
      [['Warning', message]],
    );
    fx.rescue.sshMode = 'ok';
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.cloud.count('reset'), 1, 'one power cycle');
    // The boot that never answered used up the activation: armed again before the reset.
    assert.equal(fx.cloud.count('enableRescue'), 2);
    assert.equal(fx.rescue.starts().length, 1, 'the command ran once');
    assert.equal(fx.status.ready, true);
    assert.deepEqual(
      fx.transitions.map((t) => t.to),
      [
        'Initializing',
        'EnablingRescue',
        'BootingToRescue',
        'EnablingRescue',
        'BootingToRescue',
        'RunningImageCommand',
        'BootingToRealOS',
        'OperatingSystemRunning',
      ],
    );
  });

  it('fails the machine with BootingToRescueTimedOut once the resets did not help', async () => {
    const fx = await silentRescueBoot();
    for (let reset = 1; reset <= 2; reset += 1) {
      await untilBudgetRunsOut(fx);
      assert.equal(fx.status.bootState, 'EnablingRescue');
      await fx.runUntil('BootingToRescue');
    }
    await untilBudgetRunsOut(fx);
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.cloud.count('reset'), 2);
    const condition = provisioned(fx);
    assert.equal(condition.reason, 'BootingToRescueTimedOut');
    assert.match(
      condition.message,
      /^reaching rescue system timed out, in this state since 6m\d+s: the rescue system did not answer within 360 s after 2 resets either$/,
    );
    assert.deepEqual(
      fx.events.withReason('RescueBootReset').map((event) => event.message),
      [
        'rescue system did not answer within 360 s; reset 1 of 2',
        'rescue system did not answer within 360 s; reset 2 of 2',
      ],
    );
    assert.equal(fx.outcomes.at(-1)?.remediate, true);
  });

  it('keeps the count across a controller restart', async () => {
    const fx = await silentRescueBoot(new ProvisioningFixture({ settings: { rescueBootResets: 1 } }));
    await untilBudgetRunsOut(fx);
    assert.equal(fx.status.bootState, 'EnablingRescue');
    fx.restart();
    await fx.runUntil('BootingToRescue');
    await untilBudgetRunsOut(fx);
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.cloud.count('reset'), 1);
    assert.match(provisioned(fx).message, /after 1 reset either$/);
  });

  it('honours a setting of no resets: the budget fails the machine at once', async () => {
    const fx = await silentRescueBoot(new ProvisioningFixture({ settings: { rescueBootResets: 0 } }));
    await untilBudgetRunsOut(fx);
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.cloud.count('reset'), 0);
    assert.match(provisioned(fx).message, /^reaching rescue system timed out, in this state since 6m\d+s$/);
  });
});
