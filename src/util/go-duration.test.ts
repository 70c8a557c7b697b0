import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoDuration } from './go-duration.js';

describe('parseGoDuration', () => {
  it('reads what Go’s time.ParseDuration reads', () => {
    assert.equal(parseGoDuration('180s'), 180_000);
    assert.equal(parseGoDuration('10m'), 600_000);
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5m'), 90_000);
    assert.equal(parseGoDuration('500ms'), 500);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('0s'), 0);
    assert.equal(parseGoDuration('-5s'), -5_000);
  });

  it('rejects what Go rejects', () => {
    for (const text of ['', '10', '3 m', 'm', '1d', '-', '1m ', 'five minutes', '.s']) {
      assert.equal(parseGoDuration(text), undefined, text);
    }
  });
});
