import { open, readFile, unlink } from 'node:fs/promises';
import { ProvisionError } from './provision-errors.js';

/** Held while one run works on one name; `release` removes it. */
export interface StateLock {
  release(): Promise<void>;
}

/** True while a process with this id exists (EPERM: it exists, owned by someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes `path` (created exclusively, holding our pid) so two runs on one name never interleave.
 * A lock whose process is gone (a run killed with SIGKILL) is taken over: that is the resume case.
 */
export async function takeLock(path: string, name: string): Promise<StateLock> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await holderOf(path);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new ProvisionError(
          'LOCKED',
          `another imageurl provision (pid ${holder}) is working on ${name}; wait for it or stop it (lock ${path})`,
        );
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new ProvisionError('LOCKED', `cannot take the lock ${path} for ${name}: another run keeps taking it`);
}
