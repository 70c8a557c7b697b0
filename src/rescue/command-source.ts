import { open, type FileHandle } from 'node:fs/promises';
import type { CommandSource } from '../ports/rescue-system.js';
import { invalidInput } from './start-request.js';

/** A command to upload, opened before anything is copied so a bad path fails first. */
export interface OpenedCommand {
  chunks(): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

const chunkBytes = 64 * 1024;

export async function openCommand(source: CommandSource): Promise<OpenedCommand> {
  if ('bytes' in source) {
    if (source.bytes.length === 0)
      throw invalidInput('command.bytes', undefined, 'the command must not be empty');
    return { chunks: () => once(source.bytes), close: () => Promise.resolve() };
  }
  let handle: FileHandle;
  try {
    handle = await open(source.path, 'r');
  } catch (error) {
    throw invalidInput('command.path', source.path, `cannot be opened: ${(error as Error).message}`);
  }
  const stats = await handle.stat();
  if (!stats.isFile() || stats.size === 0) {
    await handle.close();
    throw invalidInput('command.path', source.path, 'must be a non-empty regular file');
  }
  return { chunks: () => streamed(handle), close: () => handle.close() };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}

/** Streams the file so a large command binary is never held in memory whole. */
async function* streamed(handle: FileHandle): AsyncIterable<Uint8Array> {
  let position = 0;
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(chunkBytes), 0, chunkBytes, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
