/**
 * Boolean flags as Go's flag package reads them, so Deployment args written for controller-runtime
 * providers carry over: `--x`, `--x=true`, `--x=false` (also 1/0/t/f in any case), and `--no-x`.
 */
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';

const VALUES: Readonly<Record<string, boolean>> = {
  true: true,
  t: true,
  '1': true,
  false: false,
  f: false,
  '0': false,
};

export const BOOLEAN_ALLOWED = 'true or false (also 1, 0, t, f)';

/** A boolean of the command line or the environment; throws InvalidArgumentError otherwise. */
export function parseBoolean(value: string): boolean {
  const parsed = VALUES[value.trim().toLowerCase()];
  if (parsed === undefined)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: ${BOOLEAN_ALLOWED}`,
    );
  return parsed;
}

/** Registers `--flag[=bool]` and `--no-flag`; the parsed value is a boolean or undefined. */
export function addBooleanFlag<C extends Command<[], Record<string, unknown>>>(
  command: C,
  flag: string,
  help: string,
  options: { readonly negatable?: boolean } = {},
): C {
  command.option(`--${flag} [bool]`, help, parseBoolean);
  if (options.negatable !== false) command.option(`--no-${flag}`, `turn --${flag} off`);
  return command;
}
