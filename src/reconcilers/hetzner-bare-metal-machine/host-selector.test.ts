import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostSelector } from '../../../api/v1beta1/index.js';
import { compileSelector } from './host-selector.js';

function matches(selector: HostSelector | undefined, labels: Record<string, string>): boolean {
  const compiled = compileSelector(selector);
  assert.equal(compiled.kind, 'valid');
  return compiled.matches(labels);
}

const expression = (key: string, operator: string, values: string[] = []): HostSelector => ({
  matchExpressions: [{ key, operator, values }],
});

describe('host selector matching', () => {
  it('selects every host when there is no selector or an empty one', () => {
    assert.equal(matches(undefined, {}), true);
    assert.equal(matches({}, { pool: 'a' }), true);
    const compiled = compileSelector(undefined);
    assert.equal(compiled.kind === 'valid' ? compiled.text : compiled.problem, 'everything');
  });

  it('needs every matchLabels pair', () => {
    const selector = { matchLabels: { pool: 'a', zone: 'fsn1' } };
    assert.equal(matches(selector, { pool: 'a', zone: 'fsn1', extra: 'x' }), true);
    assert.equal(matches(selector, { pool: 'a' }), false);
    assert.equal(matches(selector, { pool: 'b', zone: 'fsn1' }), false);
  });

  const table: [string, HostSelector, Record<string, string>, boolean][] = [
    ['In with a listed value', expression('pool', 'In', ['a', 'b']), { pool: 'b' }, true],
    ['In with another value', expression('pool', 'In', ['a', 'b']), { pool: 'c' }, false],
    ['In without the label', expression('pool', 'In', ['a']), {}, false],
    ['NotIn with a listed value', expression('pool', 'NotIn', ['a']), { pool: 'a' }, false],
    ['NotIn with another value', expression('pool', 'NotIn', ['a']), { pool: 'b' }, true],
    ['NotIn without the label (apimachinery: matches)', expression('pool', 'NotIn', ['a']), {}, true],
    ['Exists with the label', expression('gpu', 'Exists'), { gpu: '' }, true],
    ['Exists without it', expression('gpu', 'Exists'), {}, false],
    ['DoesNotExist without it', expression('gpu', 'DoesNotExist'), {}, true],
    ['DoesNotExist with it', expression('gpu', 'DoesNotExist'), { gpu: 'yes' }, false],
    ['! (apimachinery spelling) without it', expression('gpu', '!'), {}, true],
    ['lower-case in (CAPH lower-cases)', expression('pool', 'in', ['a']), { pool: 'a' }, true],
    ['= with the value', expression('pool', '=', ['a']), { pool: 'a' }, true],
    ['!= without the label', expression('pool', '!=', ['a']), {}, true],
    ['Gt above', expression('ram', 'Gt', ['64']), { ram: '128' }, true],
    ['Gt equal', expression('ram', 'Gt', ['64']), { ram: '64' }, false],
    ['Gt with a non-integer label', expression('ram', 'Gt', ['64']), { ram: 'lots' }, false],
    ['Lt below', expression('ram', 'Lt', ['64']), { ram: '32' }, true],
  ];
  for (const [name, selector, labels, expected] of table) {
    it(`${name}: ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(matches(selector, labels), expected);
    });
  }

  it('combines matchLabels and expressions (all must hold)', () => {
    const selector: HostSelector = {
      matchLabels: { pool: 'a' },
      matchExpressions: [{ key: 'maintenance', operator: 'DoesNotExist', values: [] }],
    };
    assert.equal(matches(selector, { pool: 'a' }), true);
    assert.equal(matches(selector, { pool: 'a', maintenance: 'true' }), false);
  });

  it('describes the selector for messages', () => {
    const compiled = compileSelector({
      matchLabels: { pool: 'a' },
      matchExpressions: [{ key: 'zone', operator: 'In', values: ['fsn1', 'hel1'] }],
    });
    assert.equal(compiled.kind === 'valid' && compiled.text, 'pool=a, zone In (fsn1,hel1)');
  });

  it('selects nothing, and says why, for an invalid requirement (CAPH would drop it and select more)', () => {
    assert.deepEqual(compileSelector(expression('pool', 'Near', ['a'])), {
      kind: 'invalid',
      problem: 'spec.hostSelector.matchExpressions[0]: unsupported operator "Near"',
    });
    assert.deepEqual(compileSelector(expression('pool', 'In')), {
      kind: 'invalid',
      problem: 'spec.hostSelector.matchExpressions[0]: operator In does not take 0 values',
    });
    assert.deepEqual(compileSelector(expression('', 'Exists')), {
      kind: 'invalid',
      problem: 'spec.hostSelector.matchExpressions[0]: the key is empty',
    });
  });
});
