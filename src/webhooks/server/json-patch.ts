/**
 * A small RFC 6902 JSON Patch diff: the operations that turn one JSON document into another,
 * as a mutating webhook returns them to the apiserver.
 */
import { isDeepStrictEqual } from 'node:util';

export type JsonPatchOperation =
  | { readonly op: 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'replace'; readonly path: string; readonly value: unknown };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key as one JSON Pointer (RFC 6901) segment: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A property as JSON.stringify sees it: own, and not undefined. */
function has(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined;
}

function diffObjects(from: JsonObject, to: JsonObject, path: string, out: JsonPatchOperation[]): void {
  for (const key of Object.keys(from)) {
    if (has(from, key) && !has(to, key))
      out.push({ op: 'remove', path: `${path}/${escapePointerSegment(key)}` });
  }
  for (const key of Object.keys(to)) {
    if (!has(to, key)) continue;
    const child = `${path}/${escapePointerSegment(key)}`;
    if (has(from, key)) diffValues(from[key], to[key], child, out);
    else out.push({ op: 'add', path: child, value: to[key] });
  }
}

function diffValues(from: unknown, to: unknown, path: string, out: JsonPatchOperation[]): void {
  if (isDeepStrictEqual(from, to)) return;
  if (isObject(from) && isObject(to)) {
    diffObjects(from, to, path, out);
    return;
  }
  // Arrays of equal length are compared item by item (indexes stay put); otherwise replaced whole.
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    from.forEach((item, index) => {
      diffValues(item, to[index], `${path}/${index}`, out);
    });
    return;
  }
  out.push({ op: 'replace', path, value: to });
}

/**
 * The JSON Patch that turns `from` into `to` (both plain JSON). Keys are escaped per RFC 6901;
 * arrays that changed length are replaced whole. Applying the result to `from` gives `to`.
 */
export function diffJson(from: unknown, to: unknown): JsonPatchOperation[] {
  const out: JsonPatchOperation[] = [];
  diffValues(from, to, '', out);
  return out;
}
