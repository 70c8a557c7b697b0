import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { infraChecks } from './infra-checks.js';
import { StepBackoff } from './step-backoff.js';

describe('StepBackoff', () => {
  const check = infraChecks.loadBalancerFailed('create', 'quota');
  const key = { uid: 'u', step: 'load-balancer', generation: 1 };

  it('keeps a step that an operator must fix away from the API, doubling, until the spec changes', () => {
    const backoff = new StepBackoff({ retryableMs: 5, operatorMs: 60, maxMs: 200 });
    assert.equal(backoff.failed(key, { check, retryable: false, now: 0 }), 60);
    assert.deepEqual(backoff.waiting(key, 30), { check, waitMs: 30 });
    assert.equal(backoff.waiting(key, 60), undefined, 'may try again');
    assert.equal(backoff.failed(key, { check, retryable: false, now: 60 }), 120);
    assert.equal(backoff.failed(key, { check, retryable: false, now: 180 }), 200, 'capped');
    assert.equal(backoff.waiting({ ...key, generation: 2 }, 181), undefined, 'a new spec tries at once');
    backoff.succeeded(key);
    assert.equal(backoff.waiting(key, 181), undefined);
  });

  it('waits at least what the API asks for (rate limit reset)', () => {
    const backoff = new StepBackoff({ retryableMs: 5, operatorMs: 60, maxMs: 200 });
    assert.equal(backoff.failed(key, { check, retryable: true, now: 0, atLeastMs: 40 }), 40);
  });
});
