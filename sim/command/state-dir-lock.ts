import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Another live `imageurl sim` holds the state folder. */
export class StateDirLockedError extends Error {
  readonly code = 'SIM_STATE_DIR_LOCKED';
}

export interface StateDirLock {
  readonly path: string;
  /** Removes the lock file if it is still this process's. */
  release(): Promise<void>;
}

const LOCK_FILE = 'sim.lock';

/**
 * Makes `stateDir` this process's: two simulators over one folder would overwrite each other's
 * saved state and share disks. The lock is a file holding the owner's pid, created whole (written
 * aside, then linked into place, which fails if it exists), so a reader never sees it half
 * written. A lock whose pid no longer runs was left by a crash: taken over, with `note` saying so.
 */
export async function lockStateDir(stateDir: string, note: (text: string) => void): Promise<StateDirLock> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, LOCK_FILE);
  const lock: StateDirLock = { path, release: () => releaseLock(path) };
  if (await tryCreate(path)) return lock;
  const owner = await lockOwner(path);
  if (owner !== undefined && isRunning(owner))
    throw new StateDirLockedError(
      `${stateDir} is in use by another imageurl sim (pid ${owner}, lock file ${path}); stop it first, or pass another --state-dir`,
    );
  note(`imageurl sim: taking over ${path}, left by pid ${owner ?? '(unreadable)'}, which no longer runs`);
  // Two instances taking over the same stale lock at once could both get here; the second
  // link() below then fails for one of them, which reports the folder as in use.
  await unlink(path).catch(() => undefined);
  if (await tryCreate(path)) return lock;
  throw new StateDirLockedError(`${stateDir} was just locked by another imageurl sim (lock file ${path})`);
}

async function tryCreate(path: string): Promise<boolean> {
  const aside = `${path}.${process.pid}`;
  await writeFile(aside, `${process.pid}\n`, { mode: 0o600 });
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

async function lockOwner(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseLock(path: string): Promise<void> {
  if ((await lockOwner(path)) === process.pid) await unlink(path).catch(() => undefined);
}
