import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRequeue, type StepResult } from './step-result.js';

const backoff = { baseMs: 1000, capMs: 60_000 };

describe('toRequeue', () => {
  it('backs off 1, 2, 4, 8, 16, 32 s and then stays at the 60 s cap (the documented table)', () => {
    const error: StepResult = { kind: 'error', cause: new Error('x') };
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((errorCount) => {
      const requeue = toRequeue(error, { errorCount, backoff });
      assert.ok(requeue.kind === 'backoff');
      return requeue.ms / 1000;
    });
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });

  it('waits as a continue or advance says, and not at all after failed or blocked', () => {
    const cases: [StepResult, unknown][] = [
      [
        { kind: 'continue', after: 5000 },
        { kind: 'after', ms: 5000 },
      ],
      [
        { kind: 'advance', to: 'Initializing', after: 15_000 },
        { kind: 'after', ms: 15_000 },
      ],
      [
        { kind: 'advance', to: 'Initializing' },
        { kind: 'after', ms: 1 },
      ],
      [
        { kind: 'failed', reason: { type: 'ServerProvisioned', reason: 'CreationFailed' }, message: 'x' },
        { kind: 'none' },
      ],
      [{ kind: 'blocked' }, { kind: 'none' }],
    ];
    for (const [result, expected] of cases)
      assert.deepEqual(toRequeue(result, { errorCount: 0, backoff }), expected);
  });

  it('never waits past the state timeout, so the timeout fires without an outside event', () => {
    const requeue = toRequeue(
      { kind: 'continue', after: 600_000 },
      { errorCount: 0, backoff, msUntilTimeout: 30_000 },
    );
    assert.deepEqual(requeue, { kind: 'after', ms: 30_001 });
    const error = toRequeue({ kind: 'error', cause: 1 }, { errorCount: 9, backoff, msUntilTimeout: 2_000 });
    assert.equal(error.kind === 'backoff' ? error.ms : 0, 2_001);
  });
});
