import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RobotRequestBudget } from './request-budget.js';

const t0 = 1_800_000_000_000;
const hour = 3_600_000;
const forever = Number.MAX_SAFE_INTEGER;

describe('robot request budget', () => {
  it('knows the documented hourly limits per endpoint group', () => {
    const state = new RobotRequestBudget().state(t0);
    assert.deepEqual(Object.fromEntries(Object.entries(state).map(([group, { limit }]) => [group, limit])), {
      server: 200,
      'reset-read': 500,
      'reset-write': 50,
      boot: 500,
      'key-read': 500,
      'key-write': 200,
    });
  });

  it('sends up to the limit at once, then waits until the oldest request has left the hour', () => {
    const budget = new RobotRequestBudget({ marginMs: 1000 });
    for (let i = 0; i < 50; i += 1)
      assert.deepEqual(budget.reserve('reset-write', t0 + i * 1000, forever), { granted: true, waitMs: 0 });
    const now = t0 + 60_000;
    assert.deepEqual(budget.reserve('reset-write', now, forever), {
      granted: true,
      waitMs: t0 + hour + 1000 - now,
    });
    assert.equal(budget.reserve('reset-read', now, 0).granted, true, 'other groups keep their own limit');
    const state = budget.state(now)['reset-write'];
    assert.deepEqual([state.used, state.waits, state.waitedMs], [51, 1, t0 + hour + 1000 - now]);
  });

  it('queues concurrent callers in order once the window is full', () => {
    const budget = new RobotRequestBudget({ limits: { server: 2 }, marginMs: 0 });
    const waits = [1, 2, 3, 4, 5].map(() => budget.reserve('server', t0, forever).waitMs);
    assert.deepEqual(waits, [0, 0, hour, hour, 2 * hour]);
  });

  it('refuses without booking when the wait is longer than the caller waits', () => {
    const budget = new RobotRequestBudget({ limits: { boot: 1 }, marginMs: 0 });
    assert.equal(budget.reserve('boot', t0, 0).waitMs, 0);
    assert.deepEqual(budget.reserve('boot', t0 + 1000, 60_000), { granted: false, waitMs: hour - 1000 });
    assert.deepEqual(budget.reserve('boot', t0 + 1000, 60_000), { granted: false, waitMs: hour - 1000 });
    assert.equal(budget.state(t0 + 1000).boot.used, 1, 'the refusals booked nothing');
    assert.deepEqual(
      budget.reserve('boot', t0 + hour, 0),
      { granted: true, waitMs: 0 },
      'free an hour later',
    );
  });

  it('after a 403 adopts the stated limit and holds back until our oldest counted request leaves', () => {
    const budget = new RobotRequestBudget({ marginMs: 0 });
    budget.reserve('reset-write', t0, forever);
    budget.reserve('reset-write', t0 + 10_000, forever);
    budget.observeRateLimited('reset-write', t0 + 20_000, { requests: 2, intervalMs: hour });
    const state = budget.state(t0 + 20_000)['reset-write'];
    assert.deepEqual([state.limit, state.rateLimited, state.blockedUntilMs], [2, 1, t0 + hour]);
    assert.deepEqual(budget.reserve('reset-write', t0 + 20_000, 30_000), {
      granted: false,
      waitMs: hour - 20_000,
    });
  });

  it('after a 403 it did not cause (a shared account) waits one request share of the interval', () => {
    const budget = new RobotRequestBudget({ marginMs: 0 });
    budget.observeRateLimited('server', t0, undefined);
    assert.deepEqual(budget.reserve('server', t0, forever), { granted: true, waitMs: hour / 200 });
    const tiny = new RobotRequestBudget({ marginMs: 0 });
    tiny.observeRateLimited('boot', t0, { requests: 100_000, intervalMs: 1000 });
    assert.equal(tiny.reserve('boot', t0, forever).waitMs, 1000, 'never less than a second');
  });

  it('forgets requests that left the window', () => {
    const budget = new RobotRequestBudget({ limits: { 'key-write': 1 }, marginMs: 500 });
    budget.reserve('key-write', t0, forever);
    assert.equal(budget.state(t0 + hour + 499)['key-write'].used, 1, 'kept through the margin');
    assert.equal(budget.state(t0 + hour + 500)['key-write'].used, 0);
    assert.equal(budget.reserve('key-write', t0 + hour + 500, 0).granted, true);
  });
});
