import { z } from 'zod';
import { REQUIRED_IN_CRD } from '../v1beta1/fields.js';

/** One node of a CRD's OpenAPI v3 schema (apiextensions JSONSchemaProps, with its JSON names). */
export type CrdSchema = { [keyword: string]: unknown };

const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isSchema(value: unknown): value is CrdSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod's `override` hook: literals of integers are integers (zod says `type: number`). */
function integerLiterals(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: CrdSchema }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== 'literal') return;
  if (def.values.every((value) => typeof value === 'number' && Number.isInteger(value))) {
    ctx.jsonSchema.type = 'integer';
  }
}

/** The apiserver's int-or-string form; a string pattern of the zod union moves to the node. */
function intOrString(node: CrdSchema): CrdSchema {
  const branches = Array.isArray(node.anyOf) ? node.anyOf.filter(isSchema) : [];
  const pattern = branches.find((branch) => branch.type === 'string')?.pattern;
  const result: CrdSchema = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  if (pattern !== undefined) result.pattern = pattern;
  if (node.description !== undefined) result.description = node.description;
  result['x-kubernetes-int-or-string'] = true;
  return result;
}

/** Bounds and formats of numbers: no ±2^53 from z.int(), int32 as a format, not as bounds. */
function numbers(node: CrdSchema): void {
  if (node.minimum === -SAFE_INTEGER_BOUND) delete node.minimum;
  if (node.maximum === SAFE_INTEGER_BOUND) delete node.maximum;
  if (node.type === 'integer' && node.minimum === INT32_MIN && node.maximum === INT32_MAX) {
    delete node.minimum;
    delete node.maximum;
    node.format = 'int32';
  }
}

/**
 * A pattern as Go writes it: JavaScript's RegExp#source escapes every `/` as `\/`; both RE2 and
 * ECMAScript read a plain `/` the same, and the CRD then matches the upstream text.
 */
export function unescapeSlashes(pattern: string): string {
  let result = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    const next = pattern.charAt(i + 1);
    if (char === '\\' && next !== '/') {
      result += char + next;
      i += 1;
    } else if (char !== '\\') {
      result += char;
    }
  }
  return result;
}

/** Formats the apiserver knows, without the regular expressions zod adds to check them. */
function strings(node: CrdSchema): void {
  if (typeof node.pattern === 'string') node.pattern = unescapeSlashes(node.pattern);
  if (node.format === 'date-time') delete node.pattern;
  if (node.format === 'base64' || node.contentEncoding === 'base64') {
    node.format = 'byte';
    delete node.contentEncoding;
    delete node.pattern;
  }
}

/** Object keywords a structural schema cannot carry. */
function objects(node: CrdSchema): void {
  if (isSchema(node.properties) && Object.keys(node.properties).length === 0) delete node.properties;
  if (node.additionalProperties === false) delete node.additionalProperties;
  // z.looseObject() / z.record(z.string(), z.unknown()): keep unknown fields, the apiserver's way.
  if (isSchema(node.additionalProperties) && Object.keys(node.additionalProperties).length === 0) {
    delete node.additionalProperties;
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (Array.isArray(node.required)) node.required = [...(node.required as string[])].sort();
  delete node.propertyNames;
}

/** Properties marked with REQUIRED_IN_CRD join `required` (the marker itself goes). */
function requiredWithDefaults(node: CrdSchema): void {
  if (!isSchema(node.properties)) return;
  const marked = Object.entries(node.properties)
    .filter(([, child]) => isSchema(child) && child[REQUIRED_IN_CRD] === true)
    .map(([name]) => name);
  if (marked.length === 0) return;
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  node.required = [...new Set([...required, ...marked])].sort();
}

function normalizeChildren(node: CrdSchema): void {
  requiredWithDefaults(node);
  if (isSchema(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchema(child)) node.properties[name] = normalize(child);
    }
  }
  if (isSchema(node.items)) node.items = normalize(node.items);
  if (isSchema(node.additionalProperties)) node.additionalProperties = normalize(node.additionalProperties);
}

/** Makes one node (and everything below it) structural and apiserver-legal. */
function normalize(input: CrdSchema): CrdSchema {
  if (input['x-kubernetes-int-or-string'] === true) return intOrString(input);
  const dropped = new Set(['$schema', REQUIRED_IN_CRD]);
  const node: CrdSchema = Object.fromEntries(Object.entries(input).filter(([key]) => !dropped.has(key)));
  numbers(node);
  strings(node);
  objects(node);
  normalizeChildren(node);
  return node;
}

/**
 * The OpenAPI v3 schema a CRD carries for `schema`: zod's OpenAPI 3.0 rendering of the *input*
 * (so defaulted fields are optional and keep their `default`, and no `additionalProperties: false`),
 * everything inlined, then made structural (see api/crd/lint.ts for the rules it must pass).
 */
export function toCrdSchema(schema: z.ZodType): CrdSchema {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    cycles: 'throw',
    unrepresentable: 'throw',
    override: integerLiterals,
  });
  return normalize(json);
}
