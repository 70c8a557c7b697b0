import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TryCommandResult } from '../../src/cli/try-command/verdict-output.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

export interface TryCommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed, with `-o json`. */
  readonly result: TryCommandResult;
}

/**
 * Runs `imageurl try-command ARGS -o json` as a user would; `whileRunning` is called with the
 * process's pid while it runs (and awaited). The process is killed if the test gives up first.
 */
export async function tryCommand(
  args: readonly string[],
  options: {
    readonly env?: Readonly<Record<string, string>>;
    readonly deadlineMs?: number;
    readonly whileRunning?: (pid: number, ended: () => boolean) => Promise<void>;
  } = {},
): Promise<TryCommandRun> {
  const child = spawn(process.execPath, [bin, 'try-command', ...args, '-o', 'json'], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs ?? 120_000);
  try {
    const watching = options.whileRunning?.(child.pid ?? 0, () => ended);
    const code = await exited.finally(() => (ended = true));
    await watching;
    const result = parse(stdout, stderr);
    return { code, stdout, stderr, result };
  } finally {
    clearTimeout(deadline);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

function parse(stdout: string, stderr: string): TryCommandResult {
  try {
    return JSON.parse(stdout) as TryCommandResult;
  } catch {
    throw new Error(`try-command printed no JSON.\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
}

/** The command lines of every process on the machine, as `ps` would show them. */
export async function allCommandLines(): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(
    pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')),
  );
  return lines.map((line) => line.replace(/\0/g, ' '));
}
