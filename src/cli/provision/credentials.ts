import { readFile } from 'node:fs/promises';
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { ConfigError } from '../../kube/config/errors.js';
import { ProvisionError } from './provision-errors.js';

/** Where a credential came from, for messages that name it without showing it. */
export interface Credential<T> {
  readonly value: T;
  readonly source: string;
}

async function secretFile(flag: string, path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new ProvisionError('FILE_UNUSABLE', `${flag}: cannot read ${path}: ${(error as Error).message}`);
  }
}

function missing(flag: string, variables: string): ConfigError {
  return new ConfigError(
    'CONFIG_INVALID_FLAG',
    `${flag}: missing; allowed: a file holding it (never the value itself: a process list shows flags), or ${variables}`,
  );
}

/** The Hetzner Cloud token: `--hcloud-token-file`, else $IMAGEURL_HCLOUD_TOKEN. */
export async function hcloudToken(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Credential<string>> {
  const flag = '--hcloud-token-file';
  const token = file === undefined ? (env['IMAGEURL_HCLOUD_TOKEN'] ?? '') : await secretFile(flag, file);
  if (token === '') {
    if (file !== undefined) throw new ProvisionError('FILE_UNUSABLE', `${flag}: ${file} is empty`);
    throw missing(flag, '$IMAGEURL_HCLOUD_TOKEN');
  }
  return { value: token, source: file === undefined ? '$IMAGEURL_HCLOUD_TOKEN' : `${flag} ${file}` };
}

export interface RobotAccount {
  readonly user: string;
  readonly password: string;
}

/**
 * The Robot webservice account: `--robot-credentials-file` holding one line `user:password`
 * (the user never has a colon), else $IMAGEURL_ROBOT_USER and $IMAGEURL_ROBOT_PASSWORD.
 */
export async function robotAccount(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Credential<RobotAccount>> {
  const flag = '--robot-credentials-file';
  if (file === undefined) {
    const user = env['IMAGEURL_ROBOT_USER'] ?? '';
    const password = env['IMAGEURL_ROBOT_PASSWORD'] ?? '';
    if (user === '' || password === '')
      throw missing(flag, '$IMAGEURL_ROBOT_USER and $IMAGEURL_ROBOT_PASSWORD');
    return { value: { user, password }, source: '$IMAGEURL_ROBOT_USER' };
  }
  const text = await secretFile(flag, file);
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || text.includes('\n'))
    throw new ProvisionError('FILE_UNUSABLE', `${flag}: ${file} must hold one line user:password`);
  return {
    value: { user: text.slice(0, colon), password: text.slice(colon + 1) },
    source: `${flag} ${file}`,
  };
}
