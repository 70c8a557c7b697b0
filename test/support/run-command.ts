import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `file` with `args` (no shell) to its end and returns its exit code and output; a failing
 * exit is a result, not an error. A command still running after `timeoutMs` is killed, so a
 * hung one never outlives the test; its code is then -1 and stderr says so.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly timeoutMs?: number } = {},
): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 300_000,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; signal?: string | null; stdout?: string; stderr?: string };
    const killed = failed.signal ? `\n(killed by ${failed.signal})` : '';
    const code = typeof failed.code === 'number' ? failed.code : -1;
    return { code, stdout: failed.stdout ?? '', stderr: `${failed.stderr ?? ''}${killed}` };
  }
}
