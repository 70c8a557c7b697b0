/**
 * Host lists on the command line (`ghcr.io,registry.internal:5000`): `--registry-token-hosts`
 * and `--image-url-hosts`, each also read from an environment variable.
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';

const host =
  /^(?:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:]+\])(?::\d{1,5})?$/;

export const IMAGE_URL_HOSTS_ENV = 'IMAGEURL_IMAGE_URL_HOSTS';
export const IMAGE_URL_HOSTS_HELP = `admit only image URLs naming one of these hosts (host or host:port, separated by commas; default any) [$${IMAGE_URL_HOSTS_ENV}]`;

/** The hosts of a comma-separated list, lower-cased; one clear error for a bad entry or none. */
export function parseHostList(value: string): string[] {
  const hosts = value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  const bad = hosts.find((entry) => !host.test(entry));
  if (bad !== undefined || hosts.length === 0)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify((bad ?? value).slice(0, 64))}; allowed: hosts separated by commas, like ghcr.io,registry.internal:5000`,
    );
  return hosts;
}

/** The flag's list, else the environment's (its variable named in its error), else undefined. */
export function hostListOf(
  flag: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
  variable: string,
): readonly string[] | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env[variable];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return parseHostList(fromEnv);
  } catch (error) {
    throw new Error(`${variable}: ${(error as Error).message}`, { cause: error });
  }
}
