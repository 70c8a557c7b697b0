import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { bytes, dateTime, int32, int64, integer, quantity, requiredInCrd } from '../v1beta1/fields.js';
import { toCrdSchema, unescapeSlashes } from './crd-schema.js';
import { assertCrdSchema, lintCrdSchema } from './lint.js';

const property = (schema: z.ZodType): unknown => {
  const json = toCrdSchema(z.object({ field: schema }));
  return (json.properties as Record<string, unknown>).field;
};

describe('toCrdSchema', () => {
  it('drops the ±2^53 bounds of z.int() and keeps real ones', () => {
    assert.deepEqual(property(integer()), { type: 'integer' });
    assert.deepEqual(property(int64()), { type: 'integer', format: 'int64' });
    assert.deepEqual(property(integer().min(1).max(65535)), { type: 'integer', minimum: 1, maximum: 65535 });
  });

  it('writes int32 as a format, not as bounds', () => {
    assert.deepEqual(property(int32()), { type: 'integer', format: 'int32' });
  });

  it('writes timestamps as date-time and bytes as byte, without zod’s regular expressions', () => {
    assert.deepEqual(property(dateTime()), { type: 'string', format: 'date-time' });
    assert.deepEqual(property(bytes()), { type: 'string', format: 'byte' });
  });

  it('writes integer literals as an integer enum', () => {
    assert.deepEqual(property(z.literal([0, 1]).default(0)), { default: 0, type: 'integer', enum: [0, 1] });
  });

  it('writes a quantity as int-or-string with the pattern on the node', () => {
    const json = property(quantity()) as Record<string, unknown>;
    assert.deepEqual(json.anyOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(json['x-kubernetes-int-or-string'], true);
    assert.equal(typeof json.pattern, 'string');
  });

  it('keeps defaults but not the field in `required`, unless it is marked requiredInCrd', () => {
    const json = toCrdSchema(
      z.object({ a: z.string().default('x'), b: requiredInCrd(z.boolean().default(false)), c: z.string() }),
    );
    assert.deepEqual(json.required, ['b', 'c']);
    assert.deepEqual(json.properties, {
      a: { default: 'x', type: 'string' },
      b: { default: false, type: 'boolean' },
      c: { type: 'string' },
    });
  });

  it('has no additionalProperties: false, and keeps unknown fields where zod keeps them', () => {
    assert.deepEqual(toCrdSchema(z.strictObject({ a: z.string() })), {
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
    assert.deepEqual(property(z.looseObject({})), {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    assert.deepEqual(property(z.record(z.string(), z.string())), {
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });

  it('writes patterns with a plain slash, as Go does', () => {
    assert.equal(unescapeSlashes('^a\\/b\\.c\\\\$'), '^a/b\\.c\\\\$');
    assert.deepEqual(property(z.string().regex(/^x\/y$/)), { type: 'string', pattern: '^x/y$' });
  });

  it('refuses what a CRD cannot express', () => {
    assert.throws(() => toCrdSchema(z.object({ when: z.date() })), /Date cannot be represented/);
  });
});

describe('CRD schema lint', () => {
  it('accepts a structural schema', () => {
    assert.deepEqual(
      lintCrdSchema({
        type: 'object',
        properties: {
          n: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
          m: { type: 'object', additionalProperties: { type: 'string' } },
          any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
      [],
    );
  });

  it('names each forbidden keyword with its path', () => {
    const problems = lintCrdSchema({
      type: 'object',
      properties: {
        a: { $ref: '#/definitions/a' },
        b: { type: 'string', const: 'x' },
        c: { type: 'object', patternProperties: { '.*': { type: 'string' } } },
        d: { type: 'null' },
        e: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false },
        f: { type: 'integer', minimum: 0, exclusiveMinimum: 0 },
        g: { type: 'integer', maximum: Number.MAX_SAFE_INTEGER },
        h: { anyOf: [{ type: 'string' }, { type: 'object' }] },
        i: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        j: { type: 'string', propertyNames: {} },
        k: { type: 'string', format: 'double' },
        l: { properties: { x: { type: 'string' } } },
      },
    });
    const expected = [
      /^\.a: forbidden keyword "\$ref"/,
      /^\.b: forbidden keyword "const"/,
      /^\.c: forbidden keyword "patternProperties"/,
      /^\.d: invalid type "null"/,
      /^\.e: additionalProperties: false is forbidden/,
      /^\.f: exclusiveMinimum must be a boolean/,
      /^\.g: maximum is the ±2\^53 bound of z\.int\(\)/,
      /^\.h: anyOf branch sets type/,
      /^\.i: uniqueItems: true is forbidden/,
      /^\.j: forbidden keyword "propertyNames"/,
      /^\.k: format "double" is not one kube-apiserver knows for type string/,
      /^\.l: no "type"/,
    ];
    for (const pattern of expected) {
      assert.ok(
        problems.some((problem) => pattern.test(problem)),
        `${String(pattern)} not in:\n${problems.join('\n')}`,
      );
    }
  });

  it('checks list-map keys and the root', () => {
    const problems = lintCrdSchema({
      type: 'object',
      nullable: true,
      properties: {
        list: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
          items: { type: 'object', properties: { type: { type: 'string' } } },
        },
      },
    });
    assert.ok(problems.includes('<root>: nullable is forbidden at the root'));
    assert.ok(problems.includes('.list: list map key "type" must be required or defaulted'));
  });

  it('throws with every problem listed', () => {
    assert.throws(
      () => assertCrdSchema({ type: 'object', properties: { a: { const: 1 }, b: { type: 'null' } } }, 'Test'),
      /Test: the CRD schema is not apiserver-legal:\n {2}\.a: forbidden keyword "const".*\n/s,
    );
  });
});
