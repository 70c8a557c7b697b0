/** Reads fields of plain JSON objects whose shape is not yet trusted (admission input, manifests). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(object: unknown, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The string at `path`; empty string when absent or not a string (Go's zero value, as CAPH sees it). */
export function stringField(object: unknown, ...path: string[]): string {
  const value = field(object, ...path);
  return typeof value === 'string' ? value : '';
}

/** Deep equality of JSON values, treating absent and `null` alike (as Go's zero values are). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (Array.isArray(a) || Array.isArray(b)) return arraysEqual(a, b);
  return isRecord(a) && isRecord(b) && recordsEqual(a, b);
}

function arraysEqual(a: unknown, b: unknown): boolean {
  return (
    Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  );
}

function recordsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => jsonEqual(a[key], b[key]));
}
