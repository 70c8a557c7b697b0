import { randomBytes } from 'node:crypto';

export type OciAuthMode = 'none' | 'htpasswd' | 'token';

/** Registry actions: `*` is what distribution calls deleting manifests and blobs. */
export type OciAction = 'pull' | 'push' | '*';

export interface OciUser {
  readonly username: string;
  readonly password: string;
  /**
   * What the user may do on every repository. Only token auth can restrict this (default
   * pull and push); with htpasswd every authenticated user may do everything.
   */
  readonly actions?: readonly OciAction[];
}

export interface ResolvedOciUser extends OciUser {
  readonly actions: readonly OciAction[];
}

export const DEFAULT_USERNAME = 'imageurl';
const DEFAULT_ACTIONS: readonly OciAction[] = ['pull', 'push'];
const ALL_ACTIONS: readonly OciAction[] = ['pull', 'push', '*'];
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** bcrypt only uses 72 bytes, and htpasswd -i reads a single line. */
const MAX_PASSWORD_BYTES = 72;

function truncate(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function validateUser(user: OciUser, index: number, auth: OciAuthMode): void {
  const field = `users[${index}]`;
  if (!USERNAME.test(user.username)) {
    throw new Error(
      `${field}.username ${truncate(user.username)} is not allowed: use 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`,
    );
  }
  const bytes = Buffer.byteLength(user.password, 'utf8');
  if (bytes === 0 || bytes > MAX_PASSWORD_BYTES || /[\r\n\0]/.test(user.password)) {
    throw new Error(
      `${field}.password (value not shown) is not allowed: use 1–${MAX_PASSWORD_BYTES} bytes without line breaks or NUL`,
    );
  }
  for (const action of user.actions ?? []) {
    if (!ALL_ACTIONS.includes(action)) {
      throw new Error(`${field}.actions contains ${truncate(action)}; allowed are ${ALL_ACTIONS.join(', ')}`);
    }
  }
  if (auth === 'htpasswd' && user.actions !== undefined) {
    throw new Error(
      `${field}.actions is only enforced with auth 'token'; with 'htpasswd' every authenticated user may pull and push`,
    );
  }
}

/**
 * Validates the configured users, or makes one (`imageurl` with a random password) when none
 * are given. Errors name the field and never contain a password.
 */
export function resolveUsers(
  auth: OciAuthMode,
  users: readonly OciUser[] | undefined,
): readonly ResolvedOciUser[] {
  if (auth === 'none') {
    if (users !== undefined && users.length > 0) throw new Error("users: not used with auth 'none'");
    return [];
  }
  if (users?.length === 0)
    throw new Error(`users: give at least one user with auth '${auth}', or leave it out`);
  const given = users ?? [{ username: DEFAULT_USERNAME, password: randomBytes(18).toString('base64url') }];
  const seen = new Set<string>();
  return given.map((user, index) => {
    validateUser(user, index, auth);
    if (seen.has(user.username))
      throw new Error(`users[${index}].username ${truncate(user.username)} appears twice`);
    seen.add(user.username);
    const actions = user.actions ?? (auth === 'htpasswd' ? ALL_ACTIONS : DEFAULT_ACTIONS);
    return { username: user.username, password: user.password, actions };
  });
}
