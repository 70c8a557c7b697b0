import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture } from '../../test/fixtures/baremetal-fixture.js';
import type { HostState } from './host-state.js';

const budgetMs = 15 * 60_000;

/** Read through a call, as every step changes it. */
const stateOf = (fx: BareMetalFixture): HostState => fx.status.provisioningState;

/** A host reset into rescue whose rescue system does not answer. */
async function silentRescueBoot(fx = new BareMetalFixture()): Promise<BareMetalFixture> {
  await fx.runUntil('registering');
  fx.rescue.sshMode = 'SSH_REFUSED';
  return fx;
}

/** Lets registering's budget (from the last reset) run out, and takes one step. */
async function afterBudget(fx: BareMetalFixture): Promise<void> {
  const from = fx.status.rescueResetAt ?? fx.status.provisioningStateSince ?? assert.fail('no start');
  fx.clock.current = new Date(from.getTime() + budgetMs + 1_000);
  await fx.step();
}

describe('bare-metal rescue-boot retry', () => {
  it('resets a server whose rescue boot never answers by software, then reaches image-installing', async () => {
    const fx = await silentRescueBoot();
    await afterBudget(fx);
    assert.equal(stateOf(fx), 'registering');
    assert.deepEqual(fx.server.resets, ['sw', 'sw'], 'preparing’s reset, then one more by software');
    const message = 'rescue system did not answer within 900 s; reset 1 of 2 (sw)';
    assert.equal(fx.condition()?.reason, 'RebootTimedOut');
    assert.equal(fx.condition()?.message, message);
    assert.deepEqual(
      fx.events.withReason('RescueBootReset').map((event) => [event.type, event.message]),
      [['Warning', message]],
    );
    assert.equal(fx.status.errorType, undefined, 'not failed');
    fx.rescue.sshMode = 'ok';
    await fx.runUntil('provisioned');
    assert.equal(fx.rescue.starts().length, 1, 'the command ran once');
  });

  it('resets by hardware the second time, then fails with RebootTimedOut saying the resets did not help', async () => {
    const fx = await silentRescueBoot();
    await afterBudget(fx);
    await afterBudget(fx);
    assert.deepEqual(fx.server.resets, ['sw', 'sw', 'hw']);
    assert.equal(fx.condition()?.message, 'rescue system did not answer within 900 s; reset 2 of 2 (hw)');
    assert.equal(stateOf(fx), 'registering');
    await afterBudget(fx);
    assert.deepEqual(fx.server.resets, ['sw', 'sw', 'hw'], 'no third reset');
    assert.equal(fx.status.errorType, 'fatal error');
    assert.equal(fx.condition()?.reason, 'RebootTimedOut');
    assert.match(
      fx.condition()?.message ?? '',
      /^reaching the rescue system timed out, in this state since \d+m\d+s: the rescue system did not answer within 900 s after 2 resets either$/,
    );
    assert.equal(fx.outcomes.at(-1)?.remediate, true);
  });

  it('keeps the count for the whole provisioning (each step is a fresh provisioner, as after a restart)', async () => {
    const fx = await silentRescueBoot(new BareMetalFixture({ settings: { rescueBootResets: 1 } }));
    await afterBudget(fx);
    assert.equal(fx.status.rescueResets, 1);
    await afterBudget(fx);
    assert.equal(fx.status.errorType, 'fatal error');
    assert.deepEqual(fx.server.resets, ['sw', 'sw']);
  });
});
