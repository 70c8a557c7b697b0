import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudErrorResponse } from './cloud-error-response.js';
import { matchesSelector, parseLabelSelector } from './label-selector.js';

describe('label selector', () => {
  const labels = { env: 'prod', type: 'web', empty: '' };
  const table: [string, boolean][] = [
    ['env=prod', true],
    ['env==prod', true],
    ['env=staging', false],
    ['env!=staging', true],
    ['missing!=x', true],
    ['env', true],
    ['empty', true],
    ['!missing', true],
    ['!env', false],
    ['env in (prod, staging)', true],
    ['env in (staging)', false],
    ['env notin (staging)', true],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['env=prod,type!=database', true],
    ['env=prod,type=database', false],
    ['env in (a,prod),type', true],
  ];
  for (const [selector, expected] of table) {
    it(`${selector} → ${expected}`, () => {
      assert.equal(matchesSelector(labels, parseLabelSelector(selector)), expected);
    });
  }

  it('rejects malformed terms with 422 invalid_input', () => {
    for (const selector of ['env=(', 'a b', '=x'])
      assert.throws(
        () => parseLabelSelector(selector),
        (error: unknown) => error instanceof CloudErrorResponse && error.status === 422,
      );
  });
});
