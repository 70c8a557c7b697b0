import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextLookMs } from './look-schedule.js';

const look = (overrides: Partial<Parameters<typeof nextLookMs>[0]>): number =>
  nextLookMs({ startedMs: 0, nowMs: 0, progress: undefined, expected: undefined, looks: 1, ...overrides });

describe('when to look at a running action again', () => {
  it('with nothing known, looks soon to learn its pace', () => {
    assert.equal(look({ nowMs: 0, looks: 0 }), 500);
  });

  it('with progress, looks once at the late edge of a narrow end estimate', () => {
    // 50 % after 10 s: the end lies in (19.6 s, 20 s]; looked at 20 s and a little.
    assert.equal(look({ nowMs: 10_000, progress: 50 }), 10_050);
  });

  it('with progress that says little yet, looks at the early edge to narrow it down', () => {
    // 2 % after 0.5 s: the end lies in (16.7 s, 25 s].
    assert.equal(look({ nowMs: 500, progress: 2 }), 16_167);
  });

  it('without progress: at the earliest end seen before, then short follow-ups, then backoff', () => {
    const expected = { minMs: 11_000, maxMs: 21_000 };
    assert.equal(look({ nowMs: 0, expected, looks: 0 }), 11_000);
    assert.equal(look({ nowMs: 12_000, expected }), 500);
    assert.equal(look({ nowMs: 22_000, expected, looks: 3 }), 1_688);
    assert.equal(look({ nowMs: 60_000, expected, looks: 20 }), 10_000);
  });

  it('never asks for a look sooner than 100 ms', () => {
    assert.equal(look({ nowMs: 20_000, progress: 99 }), 252);
    assert.equal(look({ nowMs: 20_100, startedMs: 0, progress: 99.9 }), 100);
  });
});
