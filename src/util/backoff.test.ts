import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponentialDelayMs } from './backoff.js';

describe('exponentialDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((step) => exponentialDelayMs({ baseMs: 250, capMs: 4_000 }, step));
    assert.deepEqual(delays, [250, 500, 1_000, 2_000, 4_000, 4_000]);
  });

  it('takes another multiplier', () => {
    const delays = [0, 1, 2].map((step) =>
      exponentialDelayMs({ baseMs: 1_000, capMs: 60_000, multiplier: 3 }, step),
    );
    assert.deepEqual(delays, [1_000, 3_000, 9_000]);
  });

  it('treats negative steps as the first and huge ones as the cap', () => {
    const backoff = { baseMs: 5, capMs: 300_000 };
    assert.equal(exponentialDelayMs(backoff, -3), 5);
    assert.equal(exponentialDelayMs(backoff, 10_000), 300_000);
    assert.equal(exponentialDelayMs({ baseMs: 0, capMs: 10 }, 10_000), 0);
  });
});
