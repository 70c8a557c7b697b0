import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/index.js';
import { RetryGate } from './retry-gate.js';

const machine = (uid: string): KubeObject => ({ metadata: { uid, namespace: 'ns', name: 'm' } });
const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1) + ms);
const backoff = (ms: number) => ({ kind: 'backoff', ms, cause: new Error('503') }) as const;

describe('RetryGate: reconciles triggered by our own writes wait out the error backoff', () => {
  it('holds an object back until its backoff is over, then lets it go on', () => {
    const gate = new RetryGate();
    assert.equal(gate.waitMs(machine('a'), at(0)), undefined);
    gate.record(machine('a'), backoff(2_000), at(0));
    assert.equal(gate.waitMs(machine('a'), at(15)), 1_985, 'the watch event of our own write');
    assert.equal(gate.waitMs(machine('b'), at(15)), undefined, 'other objects are not held');
    assert.equal(gate.waitMs(machine('a'), at(2_000)), undefined);
    assert.equal(gate.size, 0);
  });

  it('forgets the backoff after any outcome other than an error', () => {
    const gate = new RetryGate();
    gate.record(machine('a'), backoff(60_000), at(0));
    gate.record(machine('a'), { kind: 'after', ms: 1_000 }, at(10));
    assert.equal(gate.waitMs(machine('a'), at(20)), undefined);
    gate.record(machine('a'), backoff(60_000), at(30));
    gate.record(machine('a'), { kind: 'none' }, at(40));
    assert.equal(gate.waitMs(machine('a'), at(50)), undefined);
  });

  it('keys by uid, so an object created again under the same name starts afresh', () => {
    const gate = new RetryGate();
    gate.record(machine('old'), backoff(60_000), at(0));
    assert.equal(gate.waitMs(machine('new'), at(1)), undefined);
  });

  it('drops backoffs that are over when recording, so deleted objects are not kept', () => {
    const gate = new RetryGate();
    gate.record(machine('deleted'), backoff(1_000), at(0));
    gate.record(machine('other'), backoff(1_000), at(5_000));
    assert.equal(gate.size, 1);
  });
});
