import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostErrorType, ProvisioningState } from '../../api/v1beta1/hetzner-bare-metal-host.js';
import { timeoutMsOf } from '../state-machine/index.js';
import { hostErrorTypes } from './host.js';
import { hostStateNode, hostStates, isHostState } from './host-state.js';
import type { HostMachineTypes } from './step-context.js';
import { hostStateTable } from './states.js';

const minute = 60_000;

describe('bare-metal host state table', () => {
  it('uses provisioning states of api/v1beta1, in CAPH’s order', () => {
    const api: readonly string[] = Object.values(ProvisioningState);
    assert.deepEqual(
      hostStates.map((state) => api.indexOf(state)),
      [...hostStates.map((state) => api.indexOf(state))].sort((a, b) => a - b),
    );
    for (const state of hostStates) assert.ok(api.includes(state), state);
  });

  it('has one entry per state and only declared states as next states', () => {
    assert.deepEqual(Object.keys(hostStateTable).sort(), [...hostStates].sort());
    for (const state of hostStates) {
      for (const next of hostStateTable[state].next) assert.ok(isHostState(next), `${state} → ${next}`);
    }
  });

  it('lets every claimed state move to deprovisioning, and deprovisioning only back to available', () => {
    for (const state of [
      'preparing',
      'registering',
      'image-installing',
      'ensure-provisioned',
      'provisioned',
    ] as const) {
      assert.ok((hostStateTable[state].next as readonly string[]).includes('deprovisioning'), state);
    }
    assert.deepEqual(hostStateTable.deprovisioning.next, ['']);
    assert.deepEqual(hostStateTable[''].next, ['preparing']);
  });

  it('times out registering (15 min), the command (7 min, the spec, from its own start) and the OS boot (10 min)', () => {
    const limit = (state: keyof typeof hostStateTable): number | undefined =>
      timeoutMsOf<HostMachineTypes>(hostStateTable[state], undefined);
    assert.equal(limit('registering'), 15 * minute);
    assert.equal(limit('image-installing'), 7 * minute);
    assert.equal(limit('ensure-provisioned'), 10 * minute);
    for (const state of ['', 'preparing', 'provisioned', 'deprovisioning'] as const)
      assert.equal(limit(state), undefined);
    assert.equal(hostStateTable['image-installing'].timeout.clock.from, "the command's start");
    assert.equal(timeoutMsOf<HostMachineTypes>(hostStateTable['image-installing'], 20 * minute), 20 * minute);
  });

  it('names Mermaid nodes without dashes', () => {
    assert.deepEqual(hostStates.map(hostStateNode), [
      'None',
      'Preparing',
      'Registering',
      'ImageInstalling',
      'EnsureProvisioned',
      'Provisioned',
      'Deprovisioning',
    ]);
  });

  it('writes only error types of api/v1beta1', () => {
    const api: readonly string[] = Object.values(HostErrorType);
    for (const type of Object.values(hostErrorTypes)) assert.ok(api.includes(type), type);
  });
});
