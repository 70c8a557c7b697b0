import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HetznerBareMetalMachineStatus } from '../../../api/v1beta1/index.js';
import { applyObservations, observe } from './conditions.js';

const at = (iso: string): { now: Date; generation: number } => ({ now: new Date(iso), generation: 3 });
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';

describe('HetznerBareMetalMachine conditions', () => {
  it('summarises v1beta1 Ready from the most severe False condition, v1beta2 Ready from every issue', () => {
    const status: HetznerBareMetalMachineStatus = {};
    applyObservations(
      status,
      [observe.bootstrapReady(), observe.noAvailableHost('all hosts are in use')],
      at(T0),
    );
    const ready = status.conditions?.[0];
    assert.deepEqual(ready, {
      type: 'Ready',
      status: 'False',
      reason: 'NoAvailableHost',
      severity: 'Warning',
      message: 'no available host (all hosts are in use)',
      lastTransitionTime: T0,
    });
    assert.deepEqual(
      status.conditions?.map((c) => `${c.type}=${c.status}`),
      ['Ready=False', 'BootstrapReady=True', 'HostAssociateSucceeded=False'],
    );
    const v2Ready = status.v1beta2?.conditions?.find((c) => c.type === 'Ready') ?? assert.fail();
    assert.equal(v2Ready.reason, 'NotReady');
    assert.equal(v2Ready.message, '* HostAssociated: no available host (all hosts are in use)');
    assert.equal(v2Ready.observedGeneration, 3);
  });

  it('keeps lastTransitionTime while the status stays, and moves it when the status changes', () => {
    const status: HetznerBareMetalMachineStatus = {};
    applyObservations(status, [observe.noAvailableHost('a')], at(T0));
    applyObservations(status, [observe.noAvailableHost('b')], at(T1));
    const associated = (): string | undefined =>
      status.conditions?.find((c) => c.type === 'HostAssociateSucceeded')?.lastTransitionTime;
    assert.equal(associated(), T0);
    applyObservations(
      status,
      [observe.hostAssociated(), observe.hostReady(), observe.serverAvailable()],
      at(T1),
    );
    assert.equal(associated(), T1);
    assert.deepEqual(status.conditions?.[0], { type: 'Ready', status: 'True', lastTransitionTime: T1 });
    assert.equal(status.v1beta2?.conditions?.find((c) => c.type === 'Ready')?.reason, 'Ready');
  });

  it('treats Deleting as negative polarity in the v1beta2 summary', () => {
    const status: HetznerBareMetalMachineStatus = {};
    applyObservations(
      status,
      [observe.hostAssociated(), observe.deleting('Waiting for host to deprovision')],
      at(T0),
    );
    const ready = status.v1beta2?.conditions?.find((c) => c.type === 'Ready') ?? assert.fail();
    assert.equal(ready.status, 'False');
    assert.equal(ready.message, '* Deleting: Waiting for host to deprovision');
  });
});
