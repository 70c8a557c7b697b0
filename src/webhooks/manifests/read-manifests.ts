import { open, readdir, realpath, stat } from 'node:fs/promises';
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

/** Far above any real manifest file; keeps a wrong path (a disk image, /dev/zero) from eating memory. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Reads FILE, DIR (every .yaml/.yml/.json below it, sorted) or `-` (standard input) for each
 * argument, in order. Files named explicitly are read whatever their extension. Each source is
 * read up to MAX_MANIFEST_BYTES; a folder reached again through a symbolic link is an error.
 */
export async function readManifests(
  paths: readonly string[],
  stdin: AsyncIterable<Uint8Array>,
): Promise<ManifestSource[]> {
  const sources: ManifestSource[] = [];
  for (const path of paths) {
    if (path === '-') sources.push({ name: '-', text: await readBounded('-', stdin) });
    else sources.push(...(await readPath(path, { explicit: true, folders: [] })));
  }
  return sources;
}

interface Walk {
  readonly explicit: boolean;
  /** Real paths of the folders that lead here, to notice a link back to one of them. */
  readonly folders: readonly string[];
}

async function readPath(path: string, walk: Walk): Promise<ManifestSource[]> {
  const info = await stat(path).catch(unreadable(path));
  if (info.isDirectory()) return readFolder(path, walk);
  if (!walk.explicit && !MANIFEST_EXTENSIONS.has(extname(path))) return [];
  const file = await open(path, 'r').catch(unreadable(path));
  try {
    return [{ name: path, text: await readBounded(path, file.createReadStream({ autoClose: false })) }];
  } finally {
    await file.close();
  }
}

async function readFolder(path: string, walk: Walk): Promise<ManifestSource[]> {
  const real = await realpath(path).catch(unreadable(path));
  if (walk.folders.includes(real)) {
    throw new UnreadableInputError(`cannot read ${path}: a symbolic link loop (it leads back to ${real})`);
  }
  const entries = (await readdir(path).catch(unreadable(path))).sort();
  const inner: Walk = { explicit: false, folders: [...walk.folders, real] };
  const nested = await Promise.all(entries.map((entry) => readPath(join(path, entry), inner)));
  return nested.flat();
}

/** The whole stream as UTF-8, refusing more than MAX_MANIFEST_BYTES. */
async function readBounded(name: string, stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += chunk.byteLength;
      if (size > MAX_MANIFEST_BYTES) {
        const what = name === '-' ? 'standard input' : name;
        throw new UnreadableInputError(`cannot read ${name}: ${what} is larger than 16 MiB`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UnreadableInputError) throw error;
    unreadable(name)(error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function unreadable(path: string): (error: unknown) => never {
  return (error) => {
    throw new UnreadableInputError(`cannot read ${path}: ${describe(error)}`, { cause: error });
  };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'a symbolic link loop';
  if (code === 'EISDIR') return 'a folder';
  return error instanceof Error ? error.message : String(error);
}
