import { LineCounter, parseAllDocuments } from 'yaml';
import type { PathSegment } from './field-path.js';
import type { ManifestSource } from './read-manifests.js';
import { lineOfPath } from './yaml-lines.js';

export interface ManifestDocument {
  readonly source: string;
  /** 1-based position of the document in its file. */
  readonly index: number;
  /** 1-based line where the document's object starts (after `---` and comments). */
  readonly line: number;
  /** The line of the field at `path` (see lineOfPath); `line` when the document has no such field. */
  readonly lineOf: (path: readonly PathSegment[]) => number;
  /** The parsed object, or undefined when the document could not be parsed. */
  readonly object: unknown;
  /** A YAML/JSON syntax problem, when there is one. */
  readonly syntaxError?: string;
}

/** Splits each source into its YAML documents (JSON is YAML); empty documents are dropped. */
export function parseManifests(sources: readonly ManifestSource[]): ManifestDocument[] {
  return sources.flatMap((source) => parseSource(source));
}

function parseSource(source: ManifestSource): ManifestDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  const result: ManifestDocument[] = [];
  list.forEach((document, position) => {
    const line = lineOfPath(document, lineCounter, []);
    const where = {
      source: source.name,
      index: position + 1,
      line,
      lineOf: (path: readonly PathSegment[]) => lineOfPath(document, lineCounter, path),
    };
    const [error] = document.errors;
    if (error) {
      const at = lineCounter.linePos(error.pos[0]).line;
      const message = error.message.split('\n')[0] ?? '';
      result.push({ ...where, line: at, lineOf: () => at, object: undefined, syntaxError: message });
      return;
    }
    const object = toObject(document);
    if ('syntaxError' in object) {
      result.push({ ...where, object: undefined, ...object });
    } else if (object.value !== null && object.value !== undefined) {
      result.push({ ...where, object: object.value });
    }
  });
  return result;
}

/** Aliases that expand to more than this many nodes are an expansion bomb, not a manifest. */
const MAX_ALIAS_COUNT = 100;

type Converted = { readonly value: unknown } | { readonly syntaxError: string };

function toObject(document: ReturnType<typeof parseAllDocuments>[number]): Converted {
  try {
    return { value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (error) {
    // yaml throws a ReferenceError for too many alias expansions; anything else is a bug.
    if (!(error instanceof ReferenceError)) throw error;
    return {
      syntaxError: `its aliases expand to more than ${MAX_ALIAS_COUNT} nodes (refused)`,
    };
  }
}
