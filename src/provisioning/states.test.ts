import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HCloudBootState, HCloudBootStateSchema } from '../../api/v1beta1/hcloud-machine.js';
import { bootStates, isBootState } from './boot-state.js';
import { reasonStrings } from './reasons.js';
import { resolveSettings } from './settings.js';
import { bootStateTable, timeoutMsOf } from './states.js';

describe('boot state table', () => {
  it('has exactly the boot states of api/v1beta1 HCloudBootState, in the same order', () => {
    assert.deepEqual([...bootStates], Object.values(HCloudBootState));
    assert.deepEqual([...bootStates], HCloudBootStateSchema.options);
  });

  it('has one entry per boot state and only declared states as next states', () => {
    assert.deepEqual(Object.keys(bootStateTable).sort(), [...bootStates].sort());
    for (const state of bootStates) {
      for (const next of bootStateTable[state].next) assert.ok(isBootState(next), `${state} → ${next}`);
    }
  });

  it('lets every state before the running OS time out, into ProvisioningFailed', () => {
    for (const state of bootStates.slice(0, 6)) {
      const spec = bootStateTable[state];
      assert.ok('timeout' in spec, `${state} has a timeout`);
      assert.ok((spec.next as readonly string[]).includes('ProvisioningFailed'), state);
    }
    assert.deepEqual(bootStateTable.ProvisioningFailed.next, []);
  });

  it('times the command out after 7 minutes (spec) and every other state after 6 (CAPH), all configurable', () => {
    const none = resolveSettings().timeoutsMs;
    assert.equal(timeoutMsOf('RunningImageCommand', none), 7 * 60_000);
    for (const state of [
      '',
      'Initializing',
      'EnablingRescue',
      'BootingToRescue',
      'BootingToRealOS',
    ] as const) {
      assert.equal(timeoutMsOf(state, none), 6 * 60_000, state);
    }
    assert.equal(timeoutMsOf('OperatingSystemRunning', none), undefined);
    assert.equal(timeoutMsOf('RunningImageCommand', { RunningImageCommand: 20 * 60_000 }), 20 * 60_000);
  });

  it("uses each state's dedicated TimedOut reason with CAPH's strings", () => {
    const expected: Record<string, [string, string]> = {
      '': ['HandleBootStateUnsetTimedOut', 'BootStateUnsetTimedOut'],
      Initializing: ['BootStateInitializingTimedOut', 'BootStateInitializingTimedOut'],
      EnablingRescue: ['EnablingRescueTimedOut', 'EnablingRescueTimedOut'],
      BootingToRescue: ['BootingToRescueTimedOut', 'BootingToRescueTimedOut'],
      RunningImageCommand: ['RunningImageCommandTimedOut', 'RunningImageURLCommandTimedOut'],
      BootingToRealOS: ['BootingToRealOSTimedOut', 'BootingToRealOSTimedOut'],
    };
    for (const [state, [v1beta1, v1beta2]] of Object.entries(expected)) {
      const spec = bootStateTable[state as keyof typeof bootStateTable];
      assert.ok('timeout' in spec);
      assert.deepEqual(reasonStrings(spec.timeout.reason), { v1beta1, v1beta2 }, state);
    }
  });
});
