import { isRecord } from '../object-fields.js';
import { formatPath, type PathSegment } from './field-path.js';
import type { ManifestDocument } from './parse-manifests.js';

/** One object to judge: a document, or an item of a List in one. */
export interface ManifestObject {
  readonly document: ManifestDocument;
  readonly object: unknown;
  /** `items[2]` for an item of a List document; absent for the document itself. */
  readonly item?: string;
  /** The line of a field of this object (paths relative to it). */
  readonly lineOf: (path: readonly PathSegment[]) => number;
}

/**
 * The objects in a document, as `kubectl apply` sends them: a List (`kind: List`, or any
 * `…List` kind with `items`) stands for its items, each applied on its own.
 */
export function objectsOf(document: ManifestDocument): ManifestObject[] {
  return expand(document, document.object, []);
}

function expand(
  document: ManifestDocument,
  object: unknown,
  prefix: readonly PathSegment[],
): ManifestObject[] {
  const lineOf = (path: readonly PathSegment[]): number => document.lineOf([...prefix, ...path]);
  const item = prefix.length === 0 ? {} : { item: formatPath(prefix) };
  if (!isList(object)) return [{ document, object, lineOf, ...item }];
  return object.items.flatMap((child, index) => expand(document, child, [...prefix, 'items', index]));
}

function isList(object: unknown): object is { items: unknown[] } {
  if (!isRecord(object) || typeof object['kind'] !== 'string') return false;
  return object['kind'].endsWith('List') && Array.isArray(object['items']);
}
