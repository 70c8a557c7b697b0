import type { CrdSchema } from '../../../api/crd/crd-schema.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { isRecord } from '../object-fields.js';
import { closestName } from './closest-name.js';
import { formatPath, type PathSegment } from './field-path.js';

/**
 * The fields of ObjectMeta a manifest may set (the rest of it is the apiserver's to fill in, and
 * accepted too): the apiserver decodes `metadata` into this struct, strictly under
 * `kubectl apply`'s default field validation.
 */
const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * Fields of `object` that the CRD's structural schema does not declare, as the apiserver finds
 * them: without strict field validation it prunes them silently (an `imageUrl` typo would leave
 * `imageURL` empty); `kubectl apply` asks for strict validation by default, and the request fails
 * naming each one. Each error suggests the declared field a typo most likely meant.
 */
export function unknownFields(schema: CrdSchema, object: unknown): FieldError[] {
  if (!isRecord(object)) return [];
  const topLevel = unknownBelow(schema, object, []);
  const metadata = object['metadata'];
  if (!isRecord(metadata)) return topLevel;
  const metaErrors = Object.keys(metadata)
    .filter((key) => !OBJECT_META_FIELDS.includes(key))
    .map((key) => unknownField(['metadata', key], OBJECT_META_FIELDS));
  return [...topLevel, ...metaErrors];
}

function unknownBelow(schema: CrdSchema, value: unknown, path: readonly PathSegment[]): FieldError[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return [];
  if (Array.isArray(value)) {
    const items = schema['items'];
    if (!isRecord(items)) return [];
    return value.flatMap((item, index) => unknownBelow(items, item, [...path, index]));
  }
  if (!isRecord(value)) return [];
  const properties = propertiesOf(schema);
  const additional = schema['additionalProperties'];
  if (properties === undefined) {
    if (!isRecord(additional)) return [];
    return Object.entries(value).flatMap(([key, child]) => unknownBelow(additional, child, [...path, key]));
  }
  const known = Object.keys(properties);
  return Object.entries(value).flatMap(([key, child]) => {
    const property = properties[key];
    // metadata's own check is ObjectMeta's (above); the schema says only `type: object`.
    if (path.length === 0 && key === 'metadata') return [];
    if (isRecord(property)) return unknownBelow(property, child, [...path, key]);
    return [unknownField([...path, key], known)];
  });
}

function propertiesOf(schema: CrdSchema): Record<string, unknown> | undefined {
  const properties = schema['properties'];
  return isRecord(properties) ? properties : undefined;
}

function unknownField(path: readonly PathSegment[], known: readonly string[]): FieldError {
  const typed = String(path[path.length - 1]);
  return fieldError.unknown(formatPath(path), closestName(typed, known));
}
