import type { CrdSchema } from './crd-schema.js';

/**
 * The rules a CRD's openAPIV3Schema must pass to be accepted by kube-apiserver as a structural
 * schema (apiextensions-apiserver `validation.go` and `schema/validation.go`), checked here so a
 * bad schema fails at generation, naming the path, instead of at `kubectl apply`.
 */

/** Every keyword of apiextensions JSONSchemaProps (by its JSON name). */
const KNOWN = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'nullable',
  'example',
  'externalDocs',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Keywords the apiserver rejects, with what to do instead. */
const FORBIDDEN: Readonly<Record<string, string>> = {
  $ref: 'inline the schema (reused: "inline")',
  $schema: 'drop it',
  $defs: 'inline the schema',
  definitions: 'inline the schema',
  id: 'drop it',
  const: 'use enum with one value',
  patternProperties: 'use additionalProperties',
  dependencies: 'not supported',
  additionalItems: 'not supported',
  propertyNames: 'not supported',
};

/** Formats kube-apiserver knows (others draw an "unrecognized format" warning on every apply). */
const FORMATS = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'date',
  'date-time',
  'duration',
  'password',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
]);
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
/** Keywords not allowed inside anyOf/allOf/oneOf/not (structural schema rule). */
const NOT_IN_JUNCTORS = ['type', 'additionalProperties', 'default', 'title', 'description', 'nullable'];
const JUNCTORS = ['anyOf', 'allOf', 'oneOf', 'not'] as const;

function isSchema(value: unknown): value is CrdSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntOrString(node: CrdSchema): boolean {
  if (node['x-kubernetes-int-or-string'] !== true) return false;
  const branches = node.anyOf;
  return (
    branches === undefined ||
    (Array.isArray(branches) &&
      branches.length === 2 &&
      JSON.stringify(branches) === JSON.stringify([{ type: 'integer' }, { type: 'string' }]))
  );
}

function keywordProblems(node: CrdSchema): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(node)) {
    const forbidden = FORBIDDEN[key];
    if (forbidden !== undefined) problems.push(`forbidden keyword "${key}" (${forbidden})`);
    else if (!KNOWN.has(key)) problems.push(`unknown keyword "${key}"`);
  }
  return problems;
}

function typeProblems(node: CrdSchema, inJunctor: boolean): string[] {
  const { type } = node;
  if (type === undefined) {
    const exempt =
      inJunctor ||
      node['x-kubernetes-int-or-string'] === true ||
      node['x-kubernetes-preserve-unknown-fields'] === true;
    return exempt ? [] : ['no "type" (structural schemas need one on every field)'];
  }
  if (typeof type !== 'string' || !TYPES.has(type))
    return [`invalid type ${JSON.stringify(type)} (use nullable for null)`];
  return [];
}

function numberProblems(node: CrdSchema): string[] {
  const problems: string[] = [];
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (key in node && typeof node[key] !== 'boolean')
      problems.push(`${key} must be a boolean (OpenAPI 3.0)`);
  }
  for (const key of ['minimum', 'maximum']) {
    if (Math.abs(Number(node[key])) === Number.MAX_SAFE_INTEGER)
      problems.push(`${key} is the ±2^53 bound of z.int()`);
  }
  return problems;
}

function formatProblems(node: CrdSchema): string[] {
  if (typeof node.format !== 'string') return [];
  const numeric = node.type === 'integer' || node.type === 'number';
  if (FORMATS.has(node.format) && NUMBER_FORMATS.has(node.format) === numeric) return [];
  return [`format "${node.format}" is not one kube-apiserver knows for type ${String(node.type)}`];
}

function structureProblems(node: CrdSchema): string[] {
  const problems: string[] = [];
  if (node.uniqueItems === true)
    problems.push('uniqueItems: true is forbidden (use x-kubernetes-list-type: set)');
  if (Array.isArray(node.items)) problems.push('items must be one schema, not an array');
  if (node.additionalProperties === false) problems.push('additionalProperties: false is forbidden');
  if (node.additionalProperties !== undefined && node.properties !== undefined) {
    problems.push('additionalProperties and properties are mutually exclusive');
  }
  return problems;
}

function listMapProblems(node: CrdSchema): string[] {
  if (node['x-kubernetes-list-type'] !== 'map') return [];
  const keys = node['x-kubernetes-list-map-keys'];
  const items = node.items;
  if (!Array.isArray(keys) || keys.length === 0) return ['list-type map needs x-kubernetes-list-map-keys'];
  if (!isSchema(items) || items.type !== 'object') return ['list-type map needs items of type object'];
  const required = Array.isArray(items.required) ? items.required : [];
  const properties = isSchema(items.properties) ? items.properties : {};
  return keys
    .filter((key: unknown) => {
      const property = properties[String(key)];
      return !required.includes(key) && !(isSchema(property) && 'default' in property);
    })
    .map((key: unknown) => `list map key "${String(key)}" must be required or defaulted`);
}

function junctorProblems(node: CrdSchema): string[] {
  if (isIntOrString(node)) return [];
  const problems: string[] = [];
  for (const junctor of JUNCTORS) {
    const value = node[junctor];
    const branches = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const branch of branches.filter(isSchema)) {
      const bad = Object.keys(branch).filter(
        (key) => NOT_IN_JUNCTORS.includes(key) || key.startsWith('x-kubernetes-'),
      );
      if (bad.length > 0) problems.push(`${junctor} branch sets ${bad.join(', ')} (only int-or-string may)`);
    }
  }
  return problems;
}

function children(node: CrdSchema, path: string): [string, CrdSchema, boolean][] {
  const result: [string, CrdSchema, boolean][] = [];
  if (isSchema(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchema(child)) result.push([`${path}.${name}`, child, false]);
    }
  }
  if (isSchema(node.items)) result.push([`${path}[]`, node.items, false]);
  if (isSchema(node.additionalProperties)) result.push([`${path}{}`, node.additionalProperties, false]);
  for (const junctor of JUNCTORS) {
    const value = node[junctor];
    const branches = Array.isArray(value) ? value : value === undefined ? [] : [value];
    branches.filter(isSchema).forEach((branch, i) => result.push([`${path}.${junctor}[${i}]`, branch, true]));
  }
  return result;
}

function walk(node: CrdSchema, path: string, inJunctor: boolean, out: string[]): void {
  const problems = [
    ...keywordProblems(node),
    ...typeProblems(node, inJunctor),
    ...numberProblems(node),
    ...formatProblems(node),
    ...structureProblems(node),
    ...listMapProblems(node),
    ...junctorProblems(node),
  ];
  for (const problem of problems) out.push(`${path || '<root>'}: ${problem}`);
  for (const [childPath, child, childInJunctor] of children(node, path))
    walk(child, childPath, childInJunctor, out);
}

/** Every rule `schema` (a CRD's openAPIV3Schema) breaks, as `<path>: <problem>`; empty when legal. */
export function lintCrdSchema(schema: CrdSchema): string[] {
  const problems: string[] = [];
  if (schema.nullable === true) problems.push('<root>: nullable is forbidden at the root');
  walk(schema, '', false, problems);
  return problems;
}

/** Throws, listing every problem, when `schema` is not a legal structural CRD schema. */
export function assertCrdSchema(schema: CrdSchema, what: string): void {
  const problems = lintCrdSchema(schema);
  if (problems.length > 0)
    throw new Error(`${what}: the CRD schema is not apiserver-legal:\n  ${problems.join('\n  ')}`);
}
