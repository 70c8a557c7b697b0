import { stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Resolves names below one directory (the controller's `/shared`). The file must be a
 * non-empty regular file (symlinks followed, as CAPH does) that not everyone may write:
 * it runs as root on every server.
 */
export function directoryCommandResolver(directory: string): CommandResolver {
  return {
    async resolve(name: string): Promise<CommandSource> {
      const problem = checkCommandName(name);
      if (problem) throw notAccessible(name, problem);
      const path = join(directory, name);
      const stats = await stat(path).catch((error: unknown) => {
        throw notAccessible(name, (error as Error).message, error);
      });
      if (!stats.isFile()) throw notAccessible(name, `${path} is not a regular file`);
      if (stats.size === 0) throw notAccessible(name, `${path} is empty`);
      if ((stats.mode & 0o002) !== 0) throw notAccessible(name, `${path} is writable by everyone`);
      return { path };
    },
  };
}

function notAccessible(name: string, problem: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError(
    'COMMAND_NOT_ACCESSIBLE',
    `imageURLCommand ${JSON.stringify(name)} is invalid or not accessible by the controller pod: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}
