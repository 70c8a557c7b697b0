/**
 * One style for every usage error, of every command: `imageurl: --flag: invalid value "x";
 * allowed: …` and exit code 2 (as Go's flag package), whether commander found the error or the
 * command's own checks (a ConfigError, naming the flag or the environment variable).
 */
import type { Command, CommanderError } from '@commander-js/extra-typings';
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { ConfigError } from '../kube/config/errors.js';

export const USAGE_EXIT_CODE = 2;

const REWRITES: readonly [RegExp, (...groups: string[]) => string][] = [
  [/^error: option '(-[^ ,']+)[^']*' argument '[^']*' is invalid\. (.*)$/s, (flag, why) => `${flag}: ${why}`],
  [/^error: option '(-[^ ,']+)[^']*' argument missing$/s, (flag) => `${flag}: a value is missing`],
  [/^error: unknown option '([^'=]+)(?:=[^']*)?'(.*)$/s, (flag, hint) => `${flag}: unknown flag${hint}`],
  [/^error: (.*)$/s, (rest) => rest],
];

/** commander's wording in ours: `imageurl: --flag: …`. */
export function usageMessage(text: string): string {
  const trimmed = text.trimEnd();
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(trimmed);
    if (match) return `imageurl: ${rewrite(...match.slice(1))}\n`;
  }
  return `${trimmed}\n`;
}

/** Applies the style to `program` and every command below it. */
export function withUsageErrors(program: Command): Command {
  const apply = (command: Command): void => {
    command.configureOutput({ outputError: (text, write) => write(usageMessage(text)) });
    command.exitOverride((error: CommanderError) => {
      process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
    });
    command.commands.forEach((sub) => apply(sub as Command));
  };
  apply(program);
  return program;
}

/** Exit code of an error a command threw: 2 for a flag or variable with a bad value. */
export function exitCodeOf(error: unknown): number {
  return error instanceof ConfigError && error.code.startsWith('CONFIG_INVALID') ? USAGE_EXIT_CODE : 1;
}
