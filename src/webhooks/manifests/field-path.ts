/** One step of a field path: a key of an object or an index of a list. */
export type PathSegment = string | number;

/** `spec.sshKeys[1].name`, as Kubernetes prints field paths (keys with dots go in brackets). */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (part.includes('.')) return `[${part}]`;
      return `${index === 0 ? '' : '.'}${part}`;
    })
    .join('');
}

/**
 * The segments of a path as Kubernetes prints it: `spec.sshKeys[1].name` →
 * `['spec', 'sshKeys', 1, 'name']`, `metadata.annotations[imageurl.io/x]` → `[…, 'imageurl.io/x']`.
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path;
  while (rest !== '') {
    if (rest.startsWith('.')) rest = rest.slice(1);
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) break;
      const inside = rest.slice(1, end);
      segments.push(/^\d+$/.test(inside) ? Number(inside) : inside);
      rest = rest.slice(end + 1);
      continue;
    }
    const name = /^[^.[]+/.exec(rest)?.[0] ?? '';
    if (name === '') break;
    segments.push(name);
    rest = rest.slice(name.length);
  }
  return segments;
}
