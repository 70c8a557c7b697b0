import type { z } from 'zod';

/**
 * A small seeded generator of random objects that a zod schema accepts, for property tests.
 * Leaves are drawn from a pool of values and kept only when the leaf's schema accepts them, so
 * patterns, formats and bounds hold without re-implementing them.
 */

/** mulberry32: a tiny, well-distributed PRNG; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  'a',
  'Ready',
  'fsn1',
  'nbg1',
  'server',
  'x-1.y',
  'CreateError',
  'image-url-command.sh',
  '2026-12-07T21:00:00Z',
  'aGVsbG8=',
  '1Gi',
  'oci://example.com/image:v1',
  '0a:1b:2c:3d:4e:5f',
] as const;
const NUMBERS = [0, 1, -1, 3, 42, 2147483647] as const;
const KEYS = ['fsn1', 'nbg1', 'cpu', 'memory', 'a.b/c'] as const;

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

export class Arbitrary {
  constructor(private readonly random: () => number) {}

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)] as T;
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private leaf(schema: z.ZodType, pool: readonly unknown[]): unknown {
    const start = Math.floor(this.random() * pool.length);
    for (let i = 0; i < pool.length; i++) {
      const value = pool[(start + i) % pool.length];
      if (schema.safeParse(value).success) return value;
    }
    const word = Math.floor(this.random() * 1e9).toString(36);
    if (schema.safeParse(word).success) return word;
    throw new Error(`no generated value fits ${JSON.stringify(schema._zod.def).slice(0, 200)}`);
  }

  /** A value `schema` accepts (undefined only for optional schemas). */
  value(schema: z.ZodType, depth = 0): unknown {
    const def = schema._zod.def as Def;
    const generate = this.generators[def.type];
    if (generate === undefined) throw new Error(`the generator does not know zod type ${def.type}`);
    return generate(def, schema, depth);
  }

  private readonly generators: Record<string, (def: Def, schema: z.ZodType, depth: number) => unknown> = {
    optional: (def, _, depth) =>
      this.chance(0.4) ? undefined : this.value(def.innerType as z.ZodType, depth),
    default: (def, _, depth) => this.value(def.innerType as z.ZodType, depth),
    prefault: (def, _, depth) => this.value(def.innerType as z.ZodType, depth),
    nullable: (def, _, depth) => this.value(def.innerType as z.ZodType, depth),
    object: (def, _, depth) => this.object(def.shape as Record<string, z.ZodType>, depth),
    array: (def, schema, depth) => this.array(def.element as z.ZodType, schema, depth),
    record: (def, _, depth) =>
      Object.fromEntries(
        KEYS.filter(() => this.chance(0.4)).map((key) => [
          key,
          this.value(def.valueType as z.ZodType, depth + 1),
        ]),
      ),
    union: (def, _, depth) => this.value(this.pick(def.options as z.ZodType[]), depth),
    enum: (def) => this.pick(Object.values(def.entries as Record<string, unknown>)),
    literal: (def) => this.pick(def.values as unknown[]),
    boolean: () => this.chance(0.5),
    number: (_, schema) => this.leaf(schema, NUMBERS),
    string: (_, schema) => this.leaf(schema, STRINGS),
  };

  /** 0–2 elements, or more when the array has a minimum length. */
  private array(element: z.ZodType, schema: z.ZodType, depth: number): unknown[] {
    for (let length = depth > 6 ? 0 : Math.floor(this.random() * 3); length < 8; length++) {
      const values = Array.from({ length }, () => this.value(element, depth + 1));
      if (schema.safeParse(values).success) return values;
    }
    throw new Error(`no generated array fits ${JSON.stringify(schema._zod.def).slice(0, 200)}`);
  }

  private object(shape: Record<string, z.ZodType>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      if (key === 'metadata' && depth === 0) out.metadata = this.metadata();
      else {
        const value = this.value(field, depth + 1);
        if (value !== undefined) out[key] = value;
      }
    }
    return out;
  }

  /** Object metadata with the cases conversion must keep: no annotations, `{}`, some. */
  private metadata(): Record<string, unknown> {
    const annotations = this.pick([undefined, {}, { 'example.com/note': 'kept' }]);
    return { name: 'example', namespace: 'default', ...(annotations ? { annotations } : {}) };
  }
}
