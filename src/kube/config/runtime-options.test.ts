import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['500ms', 500],
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['0', 0],
    ['1.5s', 1_500],
    ['15', undefined],
    ['s', undefined],
    ['10x', undefined],
    ['1s 2s', undefined],
  ];
  for (const [text, ms] of cases)
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), ms));

  it('formats back', () => {
    assert.equal(formatDuration(15_000), '15s');
    assert.equal(formatDuration(600_000), '10m');
    assert.equal(formatDuration(250), '250ms');
  });
});
