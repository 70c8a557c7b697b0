import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { CommandResolver } from '../ports/command-resolver.js';
import type { CommandSource } from '../ports/rescue-system.js';
import { ProvisioningError } from './errors.js';

/** A command name is a basename that starts with `image-url-command-` (CAPH's pre-#2121 rule, no `..`). */
const commandName = /^image-url-command-[a-z0-9][a-z0-9._-]*$/;

export function checkCommandName(name: string): string | undefined {
  if (name.includes('/')) return 'must be a basename without slashes';
  if (name.includes('..')) return "must not contain '..'";
  if (!commandName.test(name)) return `must match the regex ${commandName.source}`;
  return undefined;
}

/** Far above any real command (a script, or a static binary); keeps a wrong file from filling memory. */
export const MAX_COMMAND_BYTES = 64 * 1024 * 1024;

/**
 * Resolves names below one directory (the controller's `/shared`) to the command's bytes. The
 * file is opened once and judged by what was opened, so it cannot be swapped between the check
 * and the upload. It must stay inside the directory (links within it are fine: a ConfigMap
 * volume links every file through `..data/`), be a non-empty regular file, and be writable by
 * its owner only: it runs as root on every server.
 */
export function directoryCommandResolver(directory: string): CommandResolver {
  return {
    async resolve(name: string): Promise<CommandSource> {
      const problem = checkCommandName(name);
      if (problem) throw notAccessible(name, problem);
      const path = join(directory, name);
      const real = await insideDirectory(name, directory, path);
      const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
        throw notAccessible(name, (error as Error).message, error);
      });
      try {
        return { bytes: await readChecked(name, path, handle) };
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * One command file named by its path (`imageurl provision --command FILE`), whatever name the
 * machine gives it: the same checks on what was opened as the directory resolver's.
 */
export function fileCommandResolver(path: string): CommandResolver {
  return {
    async resolve(name: string): Promise<CommandSource> {
      const handle = await open(path, constants.O_RDONLY).catch((error: unknown) => {
        throw notAccessible(name, (error as Error).message, error, 'the command file');
      });
      try {
        return { bytes: await readChecked(name, path, handle, 'the command file') };
      } finally {
        await handle.close();
      }
    },
  };
}

/** The file's real path, when it lies below the directory's real path. */
async function insideDirectory(name: string, directory: string, path: string): Promise<string> {
  const [base, real] = await Promise.all([realpath(directory), realpath(path)]).catch((error: unknown) => {
    throw notAccessible(name, (error as Error).message, error);
  });
  if (!real.startsWith(`${base}${sep}`)) {
    throw notAccessible(name, `${path} leads out of ${directory} (to ${real})`);
  }
  return real;
}

async function readChecked(
  name: string,
  path: string,
  handle: FileHandle,
  subject?: string,
): Promise<Uint8Array> {
  const refuse = (problem: string): ProvisioningError => notAccessible(name, problem, undefined, subject);
  const stats = await handle.stat();
  if (!stats.isFile()) throw refuse(`${path} is not a regular file`);
  if (stats.size === 0) throw refuse(`${path} is empty`);
  if ((stats.mode & 0o002) !== 0) throw refuse(`${path} is writable by everyone`);
  if ((stats.mode & 0o020) !== 0) throw refuse(`${path} is writable by its group`);
  if (stats.size > MAX_COMMAND_BYTES) throw refuse(`${path} is larger than 64 MiB`);
  const bytes = Buffer.alloc(stats.size);
  const { bytesRead } = await handle.read(bytes, 0, stats.size, 0);
  return bytes.subarray(0, bytesRead);
}

function notAccessible(name: string, problem: string, cause?: unknown, subject?: string): ProvisioningError {
  const what = subject ?? `imageURLCommand ${JSON.stringify(name)}`;
  const by = subject === undefined ? ' by the controller pod' : '';
  return new ProvisioningError(
    'COMMAND_NOT_ACCESSIBLE',
    `${what} is invalid or not accessible${by}: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}
