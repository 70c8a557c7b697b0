import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestBudget } from './request-budget.js';

const t0 = 1_800_000_000_000;

describe('hcloud request budget', () => {
  it('lets a burst through at once while well above the low-water mark', () => {
    const budget = new RequestBudget(t0);
    for (let i = 0; i < 100; i += 1) assert.equal(budget.reserve(t0), 0);
    const state = budget.state(t0);
    assert.equal(state.limitPerHour, 3600);
    assert.equal(state.available, 3500);
    assert.equal(state.waits, 0);
  });

  it('paces at the refill rate below the low-water mark, before the API would say 429', () => {
    const budget = new RequestBudget(t0, { limitPerHour: 3600, lowWater: 10 });
    budget.observe(t0, { limit: 3600, remaining: 12, resetAtMs: t0 + 3_588_000 }, 200);
    assert.equal(budget.reserve(t0), 0, '11 left: still above low water');
    assert.equal(budget.reserve(t0), 0, '10 left: at low water');
    assert.equal(budget.reserve(t0), 0, 'first paced request goes now');
    assert.equal(budget.reserve(t0), 1000, 'the next one a refill interval later');
    assert.equal(budget.reserve(t0), 2000);
    const state = budget.state(t0);
    assert.equal(state.waits, 2);
    assert.equal(state.waitedMs, 3000);
    assert.equal(state.reportedRemaining, 12);
  });

  it('waits for the refill once the bucket is empty, queueing concurrent callers', () => {
    const budget = new RequestBudget(t0, { limitPerHour: 3600, lowWater: 0 });
    budget.observe(t0, { limit: 3600, remaining: 1, resetAtMs: t0 + 3_599_000 }, 200);
    assert.equal(budget.reserve(t0), 0);
    assert.equal(budget.reserve(t0), 1000);
    assert.equal(budget.reserve(t0), 2000);
    assert.equal(budget.reserve(t0 + 10_000), 0, 'refilled meanwhile');
  });

  it('follows the limit the API reports and counts 429s', () => {
    const budget = new RequestBudget(t0);
    budget.observe(t0, { limit: 7200, remaining: 7199, resetAtMs: t0 + 500 }, 200);
    assert.equal(budget.state(t0).limitPerHour, 7200);
    budget.observe(t0, undefined, 429);
    const state = budget.state(t0);
    assert.equal(state.rateLimited, 1);
    assert.equal(state.available, 0);
    assert.equal(budget.reserve(t0), 500, '7200/h: one request every 500 ms');
  });

  it('never lets the local view exceed what the API reports (shared project)', () => {
    const budget = new RequestBudget(t0);
    budget.observe(t0, { limit: 3600, remaining: 40, resetAtMs: t0 + 3_560_000 }, 200);
    assert.equal(budget.state(t0).available, 40);
    assert.equal(budget.state(t0 + 5000).available, 45, 'refills at one per second');
  });
});
