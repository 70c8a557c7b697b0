/** JSON values as they travel to and from the apiserver. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && arraysEqual(a, b);
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
  return true;
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
}

/**
 * The smallest RFC 7386 merge patch turning `original` into `modified`: changed fields only,
 * `null` for removed ones, arrays replaced whole (merge patches cannot address items).
 * Undefined when nothing changed.
 */
export function createMergePatch(original: JsonObject, modified: JsonObject): JsonObject | undefined {
  const patch: JsonObject = {};
  for (const [key, value] of Object.entries(modified)) {
    const before = original[key];
    if (isJsonObject(value) && isJsonObject(before)) {
      const nested = createMergePatch(before, value);
      if (nested) patch[key] = nested;
    } else if (!deepEqual(before, value)) patch[key] = value;
  }
  for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The paths of the fields a merge patch sets or removes (its leaves). */
export function patchPaths(patch: JsonObject, prefix: readonly string[] = []): string[][] {
  return Object.entries(patch).flatMap(([key, value]) =>
    isJsonObject(value) ? patchPaths(value, [...prefix, key]) : [[...prefix, key]],
  );
}

/** The value at `path`, or undefined where the path does not exist. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
