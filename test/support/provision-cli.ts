// `imageurl provision` as a child process, the way an operator runs it: credentials in files,
// the Cloud or Robot simulator by environment. Every process started here is stopped by `stopAll`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import { pollFor } from './machine-observation.js';

const BIN = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

export interface ProvisionRun {
  /** `code 0`, `signal SIGKILL`, … */
  readonly exit: string;
  readonly output: string;
}

export class ProvisionCli {
  private readonly group = new ProcessGroup();

  constructor(
    readonly stateDir: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  start(args: readonly string[]): SupervisedProcess {
    return this.group.start({
      name: `imageurl ${args.slice(0, 3).join(' ')}`,
      command: process.execPath,
      args: [BIN, ...args, '--state-dir', this.stateDir],
      env: { ...process.env, ...this.env },
    });
  }

  async run(args: readonly string[]): Promise<ProvisionRun> {
    const child = this.start(args);
    const exit = await child.waitForExit();
    return { exit, output: child.output.text() };
  }

  /** The saved state of provision `name`, or undefined while there is none. */
  async state(name: string): Promise<Record<string, unknown> | undefined> {
    const text = await readFile(this.statePath(name), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  statePath(name: string): string {
    return join(this.stateDir, `${name}.json`);
  }

  /** Waits until the state file says `field` is `value` (polling, with a deadline). */
  async waitForState(name: string, field: string, value: string, deadlineMs: number): Promise<void> {
    await pollFor(
      `${name}'s state file to say ${field} ${value || '(unset)'}`,
      async () => {
        const status = (await this.state(name))?.['status'] as Record<string, unknown> | undefined;
        return status?.[field] === value ? true : undefined;
      },
      { deadlineMs, intervalMs: 50 },
    );
  }

  async stopAll(): Promise<void> {
    await this.group.stopAll({ graceMs: 2_000 });
  }
}
