import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './field-path.js';

/**
 * The 1-based line of the field at `path` in a parsed YAML (or JSON) document: the line of its
 * key, or, for a list item, of the item. A field that is not there (a required one, say) gets
 * the line of the deepest part of its path that is, so the user lands next to where it belongs.
 */
export function lineOfPath(
  document: Document.Parsed,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
): number {
  let node: unknown = document.contents;
  let offset = rangeStart(document.contents) ?? document.range[0];
  for (const segment of path) {
    const step = childOf(isAlias(node) ? node.resolve(document) : node, segment);
    if (step === undefined) break;
    ({ node, offset } = step);
  }
  return lineCounter.linePos(offset).line;
}

/** The node at `segment` below `node`, with where its key (or, in a list, the item) starts. */
function childOf(node: unknown, segment: PathSegment): { node: unknown; offset: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (candidate) => isScalar(candidate.key) && String(candidate.key.value) === String(segment),
    );
    const offset = rangeStart(pair?.key) ?? rangeStart(pair?.value);
    return pair === undefined || offset === undefined ? undefined : { node: pair.value, offset };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    const offset = rangeStart(item);
    return offset === undefined ? undefined : { node: item, offset };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
