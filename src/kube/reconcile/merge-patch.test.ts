import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMergePatch, deepEqual, patchPaths, valueAt } from './merge-patch.js';

describe('createMergePatch', () => {
  const cases = [
    {
      name: 'no change',
      original: { a: 1, b: { c: [1] } },
      modified: { a: 1, b: { c: [1] } },
      patch: undefined,
    },
    { name: 'changed leaf', original: { a: 1, b: 2 }, modified: { a: 1, b: 3 }, patch: { b: 3 } },
    {
      name: 'nested change',
      original: { s: { x: 1, y: 2 } },
      modified: { s: { x: 1, y: 5 } },
      patch: { s: { y: 5 } },
    },
    { name: 'removed field', original: { a: 1, b: 2 }, modified: { a: 1 }, patch: { b: null } },
    { name: 'new object', original: {}, modified: { s: { x: 1 } }, patch: { s: { x: 1 } } },
    { name: 'array replaced whole', original: { l: [1, 2] }, modified: { l: [1, 3] }, patch: { l: [1, 3] } },
  ];
  for (const c of cases)
    it(`gives the minimal patch: ${c.name}`, () => {
      assert.deepEqual(createMergePatch(c.original, c.modified), c.patch);
    });
});

describe('merge patch helpers', () => {
  it('lists the leaf paths a patch touches', () => {
    assert.deepEqual(patchPaths({ a: 1, s: { x: null, y: { z: [1] } } }), [
      ['a'],
      ['s', 'x'],
      ['s', 'y', 'z'],
    ]);
  });

  it('reads values at paths and compares JSON deeply', () => {
    assert.equal(valueAt({ a: { b: 2 } }, ['a', 'b']), 2);
    assert.equal(valueAt({ a: 1 }, ['a', 'b']), undefined);
    assert.ok(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
    assert.ok(!deepEqual({ a: [1] }, { a: [1, 2] }));
    assert.ok(!deepEqual({ a: 1 }, { a: 1, b: 2 }));
  });
});
