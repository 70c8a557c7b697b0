import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedCache } from './keyed-cache.js';

describe('KeyedCache', () => {
  it('creates one value per key and hands the same one back afterwards', () => {
    const cache = new KeyedCache<{ key: string }>();
    let created = 0;
    const get = (key: string): { key: string } =>
      cache.get(key, () => {
        created += 1;
        return { key };
      });
    const first = get('a');
    assert.equal(get('a'), first);
    assert.notEqual(get('b'), first);
    assert.equal(created, 2);
  });

  it('replaces a value that no longer fits, handing the replaced one to its successor', () => {
    const cache = new KeyedCache<{ password: string; budget: object }>();
    const get = (password: string): { password: string; budget: object } =>
      cache.get(
        'user',
        (replaced) => ({ password, budget: replaced?.budget ?? {} }),
        (value) => value.password === password,
      );
    const old = get('old');
    const renewed = get('new');
    assert.notEqual(renewed, old);
    assert.equal(renewed.budget, old.budget);
    assert.equal(get('new'), renewed);
  });
});
