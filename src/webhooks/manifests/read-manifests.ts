import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export interface ManifestSource {
  /** The path as the user gave it (or found below a folder), `-` for standard input. */
  readonly name: string;
  readonly text: string;
}

/** Input that could not be read at all (exit status 2 in `imageurl validate`). */
export class UnreadableInputError extends Error {
  readonly code = 'UNREADABLE_INPUT';
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads FILE, DIR (every .yaml/.yml/.json below it, sorted) or `-` (standard input) for each
 * argument, in order. Files named explicitly are read whatever their extension.
 */
export async function readManifests(
  paths: readonly string[],
  stdin: () => Promise<string>,
): Promise<ManifestSource[]> {
  const sources: ManifestSource[] = [];
  for (const path of paths) {
    if (path === '-') sources.push({ name: '-', text: await stdin() });
    else sources.push(...(await readPath(path, true)));
  }
  return sources;
}

async function readPath(path: string, explicit: boolean): Promise<ManifestSource[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw new UnreadableInputError(`cannot read ${path}: ${describe(error)}`, { cause: error });
  });
  if (info.isDirectory()) {
    const entries = (await readdir(path)).sort();
    const nested = await Promise.all(entries.map((entry) => readPath(join(path, entry), false)));
    return nested.flat();
  }
  if (!explicit && !MANIFEST_EXTENSIONS.has(extname(path))) return [];
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new UnreadableInputError(`cannot read ${path}: ${describe(error)}`, { cause: error });
  });
  return [{ name: path, text }];
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
