import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from './backoff.js';

describe('connection backoff', () => {
  const noJitter = (): number => 0;
  const cases: [number, number][] = [
    [1, 250],
    [2, 500],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [50, 4000],
  ];
  for (const [tries, delay] of cases) {
    it(`waits ${delay} ms after ${tries} failed tries`, () => {
      assert.equal(backoffDelay(tries, 60_000, noJitter), delay);
    });
  }

  it('subtracts at most a quarter as jitter', () => {
    assert.equal(
      backoffDelay(5, 60_000, () => 0.999999),
      3000,
    );
  });

  it('never waits past the deadline', () => {
    assert.equal(backoffDelay(5, 120, noJitter), 120);
    assert.equal(backoffDelay(5, 0, noJitter), 0);
  });
});
