import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyConditionChanges, conditionFalse, conditionTrue, conditionUnknown } from './conditions.js';
import { lookupReasonStrings, pair, reasonRefs } from './reason-strings.js';

const ready = { type: 'Ready', reason: 'Done' } as const;
const waiting = { type: 'Ready', reason: 'Waiting' } as const;

describe('conditions', () => {
  it('moves lastTransitionTime only when the status changes (Cluster API’s rule)', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-01T00:01:00Z');
    const first = applyConditionChanges({}, [conditionFalse(waiting, 'one', 'Info')], t1);
    const second = applyConditionChanges(first, [conditionFalse(waiting, 'two')], t2);
    assert.deepEqual(second.Ready, {
      status: 'False',
      reason: 'Waiting',
      message: 'two',
      severity: 'Warning',
      lastTransitionTime: t1,
    });
    const third = applyConditionChanges(second, [conditionTrue(ready)], t2);
    assert.deepEqual(third.Ready, { status: 'True', reason: 'Done', message: '', lastTransitionTime: t2 });
    const unknown = applyConditionChanges(third, [conditionUnknown(waiting, '?')], t2);
    assert.equal(unknown.Ready?.severity, undefined, 'severity only on False');
  });

  it('looks reasons up in a vocabulary and refuses undeclared ones', () => {
    const vocabulary = { Ready: { Done: pair('', 'Done'), Waiting: pair('Waiting', 'Waiting') } };
    assert.deepEqual(lookupReasonStrings(vocabulary, ready), { v1beta1: '', v1beta2: 'Done' });
    assert.throws(
      () => lookupReasonStrings(vocabulary, { type: 'Ready', reason: 'Nope' }),
      /unknown reason Ready\/Nope/,
    );
  });

  it('names every reason of a vocabulary by reference', () => {
    const refs = reasonRefs({ Ready: { Done: pair('', 'Done'), Waiting: pair('Waiting', 'Waiting') } });
    assert.deepEqual(refs.Ready.Done, ready);
    assert.deepEqual(refs.Ready.Waiting, waiting);
  });
});
