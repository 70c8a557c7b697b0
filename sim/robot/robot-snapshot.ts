import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSavedState } from '../state/saved-state.js';
import type { RobotAccount, RobotKey } from './robot-account.js';

/**
 * A Robot account saved between runs of `imageurl sim` (`<stateDir>/state.json`): stored keys
 * and each server's name and address. Disks stay in the state folder; rescue activations and
 * pending resets do not survive.
 */
export interface RobotSnapshot {
  readonly version: 1;
  readonly keys: readonly RobotKey[];
  readonly servers: readonly { readonly number: number; readonly name: string; readonly address: string }[];
}

const fileName = 'state.json';

export async function saveRobotSnapshot(stateDir: string, account: RobotAccount): Promise<void> {
  const snapshot: RobotSnapshot = {
    version: 1,
    keys: [...account.keys.values()],
    servers: [...account.servers.values()].map((s) => ({
      number: s.number,
      name: s.name,
      address: s.machine.host.address,
    })),
  };
  await writeFile(join(stateDir, fileName), `${JSON.stringify(snapshot)}\n`, { mode: 0o600 });
}

export async function loadRobotSnapshot(stateDir: string): Promise<RobotSnapshot | undefined> {
  return (await readSavedState(join(stateDir, fileName))) as RobotSnapshot | undefined;
}

/** The configured servers, with the name and address each had in the saved state. */
export function withSavedIdentity<S extends { readonly number: number }>(
  specs: readonly S[],
  saved: RobotSnapshot | undefined,
): S[] {
  return specs.map((spec) => {
    const before = saved?.servers.find((s) => s.number === spec.number);
    return before ? { ...spec, name: before.name, address: before.address } : spec;
  });
}
