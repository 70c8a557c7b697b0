import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptStateError, readSavedState } from '../state/saved-state.js';

/**
 * What a user configures a controller with, kept in `<stateDir>/sim.json` so that a restarted
 * `imageurl sim --state-dir DIR` answers at the same endpoints with the same credentials: the
 * Secrets and flags pointing at it stay valid. Mode 0600, like the state folder's other files.
 */
export interface SimIdentity {
  readonly version: 1;
  readonly cloud: {
    readonly port: number;
    readonly token: string;
    readonly adminToken: string;
    /** The seed of the per-server durations, so a restart draws the same ones. */
    readonly seed?: number;
  };
  readonly robot: {
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly adminToken: string;
  };
}

export const IDENTITY_FILE = 'sim.json';

export async function loadSimIdentity(stateDir: string): Promise<SimIdentity | undefined> {
  const path = join(stateDir, IDENTITY_FILE);
  const saved = await readSavedState(path);
  if (saved === undefined) return undefined;
  if (!isIdentity(saved))
    throw new CorruptStateError(path, 'not the endpoints and credentials of a simulator');
  return saved;
}

export async function saveSimIdentity(stateDir: string, identity: SimIdentity): Promise<void> {
  await writeFile(join(stateDir, IDENTITY_FILE), `${JSON.stringify(identity)}\n`, { mode: 0o600 });
}

function isIdentity(value: Record<string, unknown>): value is Record<string, unknown> & SimIdentity {
  const cloud = value['cloud'] as Record<string, unknown> | undefined;
  const robot = value['robot'] as Record<string, unknown> | undefined;
  const strings = (object: Record<string, unknown> | undefined, keys: readonly string[]): boolean =>
    keys.every((key) => typeof object?.[key] === 'string' && object[key] !== '');
  const port = (object: Record<string, unknown> | undefined): boolean =>
    Number.isInteger(object?.['port']) &&
    (object?.['port'] as number) > 0 &&
    (object?.['port'] as number) < 65536;
  return (
    strings(cloud, ['token', 'adminToken']) &&
    strings(robot, ['user', 'password', 'adminToken']) &&
    port(cloud) &&
    port(robot)
  );
}
