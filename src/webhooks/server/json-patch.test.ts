import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffJson, escapePointerSegment, type JsonPatchOperation } from './json-patch.js';

/** A strict RFC 6902 applier for add/remove/replace, to check that every diff round-trips. */
function applyPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let root = structuredClone(document);
  for (const operation of operations) {
    if (operation.path === '') {
      assert.equal(operation.op, 'replace');
      root = structuredClone((operation as { value: unknown }).value);
      continue;
    }
    const segments = operation.path
      .slice(1)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = segments.pop() ?? '';
    let parent = root as Record<string, unknown>;
    for (const segment of segments) {
      assert.ok(segment in parent, `${operation.path}: ${segment} does not exist`);
      parent = parent[segment] as Record<string, unknown>;
    }
    if (operation.op === 'add') {
      assert.ok(Array.isArray(parent) || !(last in parent), `add to existing ${operation.path}`);
      parent[last] = structuredClone(operation.value);
    } else {
      assert.ok(last in parent, `${operation.op} of missing ${operation.path}`);
      if (operation.op === 'remove') Reflect.deleteProperty(parent, last);
      else parent[last] = structuredClone(operation.value);
    }
  }
  return root;
}

interface Case {
  readonly name: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly patch: JsonPatchOperation[];
}

const cases: Case[] = [
  {
    name: 'equal documents give no operations',
    from: { a: { b: [1, 2] } },
    to: { a: { b: [1, 2] } },
    patch: [],
  },
  {
    name: 'adds a missing top-level field',
    from: { spec: {} },
    to: { spec: {}, status: { ready: false } },
    patch: [{ op: 'add', path: '/status', value: { ready: false } }],
  },
  {
    name: 'adds nested fields under an existing object',
    from: { spec: { a: 1 } },
    to: { spec: { a: 1, b: { c: 'x' } } },
    patch: [{ op: 'add', path: '/spec/b', value: { c: 'x' } }],
  },
  {
    name: 'removes nested fields',
    from: { spec: { a: 1, b: { c: 'x', d: 'y' } } },
    to: { spec: { a: 1, b: { c: 'x' } } },
    patch: [{ op: 'remove', path: '/spec/b/d' }],
  },
  {
    name: 'replaces changed scalars, including a change of type',
    from: { spec: { replicas: 1, mode: 'a', flag: null } },
    to: { spec: { replicas: 2, mode: { nested: true }, flag: false } },
    patch: [
      { op: 'replace', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/mode', value: { nested: true } },
      { op: 'replace', path: '/spec/flag', value: false },
    ],
  },
  {
    name: 'escapes / and ~ in keys (RFC 6901)',
    from: { metadata: { labels: { 'a/b': '1' } } },
    to: { metadata: { labels: { 'a/b': '2', 'team~x/y': 'z', '~1': 'literal' } } },
    patch: [
      { op: 'replace', path: '/metadata/labels/a~1b', value: '2' },
      { op: 'add', path: '/metadata/labels/team~0x~1y', value: 'z' },
      { op: 'add', path: '/metadata/labels/~01', value: 'literal' },
    ],
  },
  {
    name: 'patches items of an array of the same length in place',
    from: { spec: { keys: [{ name: 'a' }, { name: 'b' }] } },
    to: { spec: { keys: [{ name: 'a' }, { name: 'b', fingerprint: 'f' }] } },
    patch: [{ op: 'add', path: '/spec/keys/1/fingerprint', value: 'f' }],
  },
  {
    name: 'replaces an array whose length changed whole',
    from: { spec: { keys: ['a', 'b'] } },
    to: { spec: { keys: ['a'] } },
    patch: [{ op: 'replace', path: '/spec/keys', value: ['a'] }],
  },
  {
    name: 'replaces an array by an object and back',
    from: { a: [1], b: { x: 1 } },
    to: { a: { x: 1 }, b: [1] },
    patch: [
      { op: 'replace', path: '/a', value: { x: 1 } },
      { op: 'replace', path: '/b', value: [1] },
    ],
  },
  {
    name: 'treats undefined properties as absent, as JSON does',
    from: { a: 1, b: undefined },
    to: { a: undefined, c: undefined },
    patch: [{ op: 'remove', path: '/a' }],
  },
  {
    name: 'handles empty keys and numeric-looking keys in objects',
    from: { m: { '': 1, '0': 'x' } },
    to: { m: { '': 2, '0': 'x', '1': 'y' } },
    // JavaScript orders integer-like keys first.
    patch: [
      { op: 'add', path: '/m/1', value: 'y' },
      { op: 'replace', path: '/m/', value: 2 },
    ],
  },
  {
    name: 'replaces a different root',
    from: { a: 1 },
    to: [1],
    patch: [{ op: 'replace', path: '', value: [1] }],
  },
];

describe('diffJson', () => {
  for (const c of cases) {
    it(c.name, () => {
      const patch = diffJson(c.from, c.to);
      assert.deepEqual(patch, c.patch);
      assert.deepEqual(
        applyPatch(JSON.parse(JSON.stringify(c.from)), patch),
        JSON.parse(JSON.stringify(c.to)),
      );
    });
  }

  it('round-trips a defaulted Kubernetes object', () => {
    const from = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'HCloudMachine',
      metadata: { name: 'm', labels: { 'cluster.x-k8s.io/cluster-name': 'c' }, annotations: { x: 'y' } },
      spec: { type: 'cx22', sshKeys: [{ name: 'k' }], placementGroupName: null },
    };
    const to = {
      ...from,
      metadata: { name: 'm', labels: { 'cluster.x-k8s.io/cluster-name': 'c', 'imageurl/x~y': 'z' } },
      spec: {
        type: 'cx22',
        sshKeys: [{ name: 'k' }, { name: 'l' }],
        imageURL: 'oci://r/i:1',
        publicNetwork: {},
      },
    };
    assert.deepEqual(applyPatch(from, diffJson(from, to)), to);
  });

  it('does not modify its inputs', () => {
    const from = { a: { b: 1 } };
    const to = { a: { c: 2 } };
    diffJson(from, to);
    assert.deepEqual(from, { a: { b: 1 } });
    assert.deepEqual(to, { a: { c: 2 } });
  });
});

describe('escapePointerSegment', () => {
  it('escapes ~ before / so that ~1 in a key stays distinguishable', () => {
    assert.equal(escapePointerSegment('a~1/b'), 'a~01~1b');
    assert.equal(escapePointerSegment('plain'), 'plain');
  });
});
