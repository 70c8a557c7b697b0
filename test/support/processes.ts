/**
 * Whether a process with `pid` exists: signal 0 checks without signalling. EPERM (the process
 * exists but belongs to someone else) counts as existing; only ESRCH means it is gone.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
