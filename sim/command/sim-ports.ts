import { join } from 'node:path';
import { IDENTITY_FILE } from './sim-identity.js';

/** The port a simulator should listen on, and where that choice came from (for its error). */
export interface ChosenPort {
  readonly port: number;
  readonly flag: string;
  readonly from: 'flag' | 'saved' | 'free';
  readonly stateDir: string;
}

/** The flag's port (0: a free one), else the last run's from the state folder, else a free one. */
export function chosenPort(
  flag: string,
  fromFlag: number | undefined,
  saved: number | undefined,
  stateDir: string,
): ChosenPort {
  if (fromFlag !== undefined) return { port: fromFlag, flag, from: 'flag', stateDir };
  if (saved !== undefined) return { port: saved, flag, from: 'saved', stateDir };
  return { port: 0, flag, from: 'free', stateDir };
}

/** Runs `start`; a port in use becomes an error naming the flag, or the file it was kept in. */
export async function listening<T>(chosen: ChosenPort, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const why =
      chosen.from === 'saved'
        ? `port ${chosen.port}, the last run's (kept in ${join(chosen.stateDir, IDENTITY_FILE)}), is in use; stop what uses it, or pass ${chosen.flag} 0 for a free one (the endpoint then changes)`
        : `${chosen.flag} ${chosen.port}: the port is in use; pass another, or 0 for a free one`;
    throw new Error(why, { cause: error });
  }
}
