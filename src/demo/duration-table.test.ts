import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationRows, formatDurationTable } from './duration-table.js';

describe('the state duration table', () => {
  const transitions = [
    { machine: 'a', from: '', to: 'Initializing', seconds: 2 },
    { machine: 'b', from: '', to: 'Initializing', seconds: 5 },
    { machine: 'a', from: 'Initializing', to: 'EnablingRescue', seconds: 11 },
    { machine: 'b', from: 'Initializing', to: 'EnablingRescue', seconds: 21 },
  ];

  it('groups by old and new state in first-seen order with avg, min and max', () => {
    assert.deepEqual(durationRows(transitions), [
      { from: '', to: 'Initializing', avg: 3.5, min: 2, max: 5, count: 2 },
      { from: 'Initializing', to: 'EnablingRescue', avg: 16, min: 11, max: 21, count: 2 },
    ]);
  });

  it('prints the columns the spec uses, numbers right-aligned with two decimals', () => {
    assert.equal(
      formatDurationTable(durationRows(transitions)),
      [
        'oldState      newState        avg(s)  min(s)  max(s)',
        '              Initializing      3.50    2.00    5.00',
        'Initializing  EnablingRescue   16.00   11.00   21.00',
      ].join('\n'),
    );
  });
});
