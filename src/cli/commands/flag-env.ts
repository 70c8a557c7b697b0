/**
 * Flags that fall back to an environment variable, one style for all: the flag wins, then the
 * variable, then the caller's default; a bad value in the variable names the variable.
 */
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { ConfigError } from '../../kube/config/errors.js';

/** The flag's value, else the environment's parsed with `parse` (errors name the variable). */
export function flagOrEnv<T>(
  flag: T | undefined,
  env: NodeJS.ProcessEnv,
  variable: string,
  parse: (text: string) => T,
): T | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env[variable];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return parse(fromEnv);
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID_ENV', `${variable}: ${(error as Error).message}`, { cause: error });
  }
}

/** `(default: X; CAPH: Y) [$VAR]`: the tail of every flag's help line. */
export function helpTail(defaultText: string | undefined, variable: string, caphDefault?: string): string {
  const defaults = [
    ...(defaultText === undefined ? [] : [`default: ${defaultText}`]),
    ...(caphDefault === undefined ? [] : [`CAPH: ${caphDefault}`]),
  ];
  return `${defaults.length > 0 ? ` (${defaults.join('; ')})` : ''} [$${variable}]`;
}
