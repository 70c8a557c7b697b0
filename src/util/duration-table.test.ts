import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationRows, formatDurationTable, markdownDurationTable, percentile } from './duration-table.js';

describe('the state duration table', () => {
  const transitions = [
    { machine: 'a', from: '', to: 'Initializing', seconds: 2 },
    { machine: 'b', from: '', to: 'Initializing', seconds: 5 },
    { machine: 'a', from: 'Initializing', to: 'EnablingRescue', seconds: 11 },
    { machine: 'b', from: 'Initializing', to: 'EnablingRescue', seconds: 21 },
  ];

  it('groups by old and new state in first-seen order with count, avg, min, max, p50 and p95', () => {
    assert.deepEqual(durationRows(transitions), [
      { from: '', to: 'Initializing', count: 2, avg: 3.5, min: 2, max: 5, p50: 2, p95: 5 },
      { from: 'Initializing', to: 'EnablingRescue', count: 2, avg: 16, min: 11, max: 21, p50: 11, p95: 21 },
    ]);
  });

  it('takes nearest-rank percentiles: always a measured value', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 10);
    assert.equal(percentile(values, 95), 19);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([3, 9], 50), 3);
    assert.equal(percentile([], 50), 0);
  });

  it('prints the columns the spec uses, numbers right-aligned with two decimals', () => {
    assert.equal(
      formatDurationTable(durationRows(transitions)),
      [
        'oldState      newState        count  avg(s)  min(s)  max(s)  p50(s)  p95(s)',
        '              Initializing        2    3.50    2.00    5.00    2.00    5.00',
        'Initializing  EnablingRescue      2   16.00   11.00   21.00   11.00   21.00',
      ].join('\n'),
    );
  });

  it('prints the same table in Markdown', () => {
    assert.equal(
      markdownDurationTable(durationRows(transitions.slice(0, 1))),
      [
        '| oldState | newState | count | avg(s) | min(s) | max(s) | p50(s) | p95(s) |',
        '| :-- | :-- | --: | --: | --: | --: | --: | --: |',
        '|  | Initializing | 1 | 2.00 | 2.00 | 2.00 | 2.00 | 2.00 |',
      ].join('\n'),
    );
  });
});
