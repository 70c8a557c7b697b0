import { RobotError } from '../../ports/robot-errors.js';

/** The endpoint groups that share one hourly request limit (Robot docs, "Request limit"). */
export type RobotEndpointGroup = 'server' | 'reset-read' | 'reset-write' | 'boot' | 'key-read' | 'key-write';

/** Robot's documented requests per hour and account, per group (Robot docs). */
export const robotHourlyLimits: Readonly<Record<RobotEndpointGroup, number>> = {
  server: 200,
  'reset-read': 500,
  'reset-write': 50,
  boot: 500,
  'key-read': 500,
  'key-write': 200,
};

export interface RobotEndpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path template below the webservice root; `{n}` is the server number, `{fingerprint}` a key's. */
  readonly path: string;
  readonly group: RobotEndpointGroup;
  /**
   * Whether sending it twice does no harm, so a lost answer (reset connection, 5xx) may be
   * retried. Activating rescue twice answers 409, resetting twice reboots twice, storing a
   * key twice answers 409: those are never retried blindly.
   */
  readonly idempotent: boolean;
}

/** Every Robot call this client makes, by the operation that makes it (paths as in the Robot docs). */
export const robotEndpoints = {
  getServer: { method: 'GET', path: '/server/{n}', group: 'server', idempotent: true },
  renameServer: { method: 'POST', path: '/server/{n}', group: 'server', idempotent: true },
  getRescue: { method: 'GET', path: '/boot/{n}/rescue', group: 'boot', idempotent: true },
  activateRescue: { method: 'POST', path: '/boot/{n}/rescue', group: 'boot', idempotent: false },
  deactivateRescue: { method: 'DELETE', path: '/boot/{n}/rescue', group: 'boot', idempotent: true },
  getResetOptions: { method: 'GET', path: '/reset/{n}', group: 'reset-read', idempotent: true },
  reset: { method: 'POST', path: '/reset/{n}', group: 'reset-write', idempotent: false },
  listSshKeys: { method: 'GET', path: '/key', group: 'key-read', idempotent: true },
  findSshKey: { method: 'GET', path: '/key/{fingerprint}', group: 'key-read', idempotent: true },
  createSshKey: { method: 'POST', path: '/key', group: 'key-write', idempotent: false },
} as const satisfies Record<string, RobotEndpoint>;

export type RobotOperation = keyof typeof robotEndpoints;

/** Values for a path template's placeholders. */
export interface RobotPathParams {
  readonly n?: number;
  readonly fingerprint?: string;
}

/**
 * Fills a template. Server numbers must be positive integers and fingerprints colon hex, so
 * nothing a caller passes can change the path's shape; anything else is refused before sending.
 */
export function fillPath(template: string, params: RobotPathParams): string {
  return template.replace(/\{(n|fingerprint)\}/g, (_, name: 'n' | 'fingerprint') => {
    const value = params[name];
    if (name === 'n' && typeof value === 'number' && Number.isSafeInteger(value) && value > 0)
      return String(value);
    if (name === 'fingerprint' && typeof value === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2})*$/.test(value))
      return value;
    const what = name === 'n' ? 'serverNumber (a positive integer)' : 'fingerprint (MD5 colon hex)';
    throw new RobotError('ROBOT_INVALID_INPUT', `robot: invalid ${what}: ${String(value).slice(0, 60)}`);
  });
}
