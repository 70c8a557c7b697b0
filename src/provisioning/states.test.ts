import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { V1Beta1Conditions, V1Beta2Conditions } from '../../api/v1beta1/conditions.js';
import { HCloudBootState, HCloudBootStateSchema } from '../../api/v1beta1/hcloud-machine.js';
import { bootStates, isBootState } from './boot-state.js';
import {
  conditionReasons,
  reasonStrings,
  v1beta1Types,
  v1beta2Types,
  type ConditionReason,
} from './reasons.js';
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

describe('condition vocabulary', () => {
  const api1: Record<string, { reasons: Record<string, string> }> = V1Beta1Conditions;
  const api2: Record<string, { reasons: Record<string, string> }> = V1Beta2Conditions;

  for (const [type, reasons] of Object.entries(conditionReasons)) {
    for (const [reason, strings] of Object.entries(reasons) as [
      string,
      { v1beta1: string | null; v1beta2: string; ours?: true },
    ][]) {
      if (strings.ours) continue;
      it(`${type}/${reason} uses reason strings that exist in api/v1beta1/conditions.ts`, () => {
        const ref = { type, reason } as ConditionReason;
        assert.deepEqual(reasonStrings(ref), strings);
        const t1 = v1beta1Types[ref.type];
        if (strings.v1beta1)
          assert.ok(Object.values(api1[t1]?.reasons ?? {}).includes(strings.v1beta1), `v1beta1 ${t1}`);
        const t2 = v1beta2Types[ref.type];
        if (t2 !== undefined)
          assert.ok(Object.values(api2[t2]?.reasons ?? {}).includes(strings.v1beta2), `v1beta2 ${t2}`);
      });
    }
  }
});
