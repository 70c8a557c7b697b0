/**
 * `--controller-username` [$IMAGEURL_CONTROLLER_USERNAME], shared by `imageurl controller` and
 * `imageurl webhook`: whose writes the webhook treats as the controller's. Needed only when the
 * webhook runs under another identity than the controller (otherwise it asks the apiserver).
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';

export const CONTROLLER_USERNAME_ENV = 'IMAGEURL_CONTROLLER_USERNAME';

export const CONTROLLER_USERNAME_HELP = `the controller's username as the apiserver knows it (like system:serviceaccount:capi-system:imageurl); only it may change the bookkeeping annotations (default: this process's own, asked from the apiserver) [$${CONTROLLER_USERNAME_ENV}]`;

export function parseControllerUsername(value: string): string {
  const username = value.trim();
  if (username === '' || username.length > 253)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 64))}; allowed: a username of 1 to 253 characters, like system:serviceaccount:capi-system:imageurl`,
    );
  return username;
}

/** The flag's value, else the environment's (its variable named in its error), else undefined. */
export function controllerUsernameOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env[CONTROLLER_USERNAME_ENV];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return parseControllerUsername(fromEnv);
  } catch (error) {
    throw new Error(`${CONTROLLER_USERNAME_ENV}: ${(error as Error).message}`, { cause: error });
  }
}
