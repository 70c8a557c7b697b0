import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeaseObservation } from './lease-observation.js';
import type { Lease } from './lease-record.js';

function lease(resourceVersion: string, holderIdentity: string, renewTime: string): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'leader', namespace: 'system', resourceVersion },
    spec: { holderIdentity, leaseDurationSeconds: 4, renewTime },
  };
}

/** An observation on a clock the test sets. */
function observed(): { observation: LeaseObservation; at: (ms: number) => void } {
  let clock = 0;
  return { observation: new LeaseObservation(() => clock), at: (ms) => (clock = ms) };
}

describe('LeaseObservation', () => {
  it('lets the first attempt go ahead before anything was seen', () => {
    const { observation } = observed();
    assert.equal(observation.freeAt('me'), -Infinity);
    assert.equal(observation.heldByOther('me'), false);
  });

  it("counts the lease duration from the local sighting, ignoring the holder's renewTime", () => {
    const { observation, at } = observed();
    at(10_000);
    // The holder's clock is an hour behind: trusting renewTime would call the lease expired.
    observation.observe(lease('7', 'other', '2000-01-01T00:00:00.000000Z'));
    assert.equal(observation.freeAt('me'), 14_000);
    at(13_999);
    assert.equal(observation.heldByOther('me'), true);
    at(14_000);
    assert.equal(observation.heldByOther('me'), false);
  });

  it('keeps the first sighting of a version, whether the watch or a GET saw it', () => {
    const { observation, at } = observed();
    at(1_000);
    observation.observe(lease('7', 'other', '2030-01-01T00:00:00.000000Z'));
    at(3_000);
    observation.observe(lease('7', 'other', '2030-01-01T00:00:00.000000Z'));
    assert.equal(observation.freeAt('me'), 5_000);
  });

  it('restarts the wait at every new version, even one with the same renewTime', () => {
    const { observation, at } = observed();
    at(1_000);
    observation.observe(lease('7', 'other', '2030-01-01T00:00:00.000000Z'));
    at(3_500);
    observation.observe(lease('8', 'other', '2030-01-01T00:00:00.000000Z'));
    assert.equal(observation.freeAt('me'), 7_500);
  });

  it('sees a released, deleted or own lease as free from when it was seen', () => {
    const { observation, at } = observed();
    at(1_000);
    observation.observe(lease('7', '', '2030-01-01T00:00:00.000000Z'));
    assert.equal(observation.freeAt('me'), 1_000);
    at(2_000);
    observation.observe(undefined);
    assert.equal(observation.freeAt('me'), 2_000);
    at(3_000);
    observation.observe(lease('9', 'me', '2030-01-01T00:00:00.000000Z'));
    assert.equal(observation.freeAt('me'), 3_000);
    assert.equal(observation.heldByOther('me'), false);
  });
});
