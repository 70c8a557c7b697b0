import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { OutputTail } from './output-tail.js';

export interface ProcessSpec {
  /** Short name used in errors and logs, e.g. `etcd` or `sshd rescue-1`. */
  readonly name: string;
  /** Absolute path of the executable; never a shell string. */
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Data written to stdin, which is then closed (keeps secrets off the process list). */
  readonly stdin?: string | Buffer;
  /** Also append everything it prints to this file: the whole log, where `output` keeps a tail. */
  readonly logFile?: string;
}

export interface StopOptions {
  /** Time to wait after SIGTERM before sending SIGKILL. */
  readonly graceMs?: number;
}

/** Thrown when a process exits while we still expected it to run or to become ready. */
export class ProcessExitedError extends Error {
  readonly code = 'PROCESS_EXITED';
  constructor(
    readonly processName: string,
    readonly exit: string,
    readonly output: string,
  ) {
    super(`${processName} exited (${exit}) before it was ready; last output:\n${output || '(none)'}`);
  }
}

/**
 * One child process we own: its output is kept (bounded) for error messages, and stopping
 * it always ends with the process gone (SIGTERM, then SIGKILL after a grace period).
 */
export class SupervisedProcess {
  readonly output = new OutputTail();
  private readonly child: ChildProcess;
  private exitDescription: string | undefined;
  private readonly exited: Promise<void>;
  private readonly log: WriteStream | undefined;

  private constructor(readonly spec: ProcessSpec) {
    this.log = spec.logFile === undefined ? undefined : createWriteStream(spec.logFile, { flags: 'a' });
    this.log?.on('error', () => undefined); // a log that cannot be written must not end the test
    this.child = spawn(spec.command, [...spec.args], {
      env: withTestRunMarker(spec.env ?? process.env),
      cwd: spec.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so stopping it also ends whatever it started (a wrapper's children).
      detached: true,
    });
    const record = (chunk: Buffer): void => {
      this.output.append(chunk);
      this.log?.write(chunk);
    };
    this.child.stdout?.on('data', record);
    this.child.stderr?.on('data', record);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitDescription = `failed to start: ${error.message}`;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitDescription = signal ? `signal ${signal}` : `code ${code ?? 'unknown'}`;
        resolve();
      });
      // After the last output ('close' follows the pipes' end), so the log file is complete.
      this.child.once('close', () => this.log?.end());
    });
    this.child.stdin?.on('error', () => undefined); // the process may exit before reading stdin
    this.child.stdin?.end(spec.stdin ?? '');
  }

  static start(spec: ProcessSpec): SupervisedProcess {
    return new SupervisedProcess(spec);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitDescription === undefined;
  }

  /** Resolves when the process has exited, with a description such as `code 0` or `signal SIGTERM`. */
  async waitForExit(): Promise<string> {
    await this.exited;
    return this.exitDescription ?? 'unknown';
  }

  /** An error describing an early exit, for readiness checks that gave up. */
  exitedError(): ProcessExitedError {
    return new ProcessExitedError(
      this.spec.name,
      this.exitDescription ?? 'still running',
      this.output.text(),
    );
  }

  /** SIGTERM to the process group, SIGKILL after the grace period, then a sweep of stragglers. */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.running) {
      this.signalGroup('SIGTERM');
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), options.graceMs ?? 5_000);
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    this.signalGroup('SIGKILL');
  }

  /** Synchronous last resort for process-exit hooks, where nothing async can run. */
  killNow(): void {
    this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is gone already
    }
  }

  /** Resolves once `predicate` matches the accumulated output; rejects on exit or deadline. */
  async waitForOutput(predicate: (text: string) => boolean, deadlineMs: number): Promise<void> {
    if (predicate(this.output.text())) return;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    try {
      while (!predicate(this.output.text())) {
        if (!this.running) throw this.exitedError();
        await Promise.race([once(this.output, 'data', { signal: controller.signal }), this.exited]);
      }
    } catch (error) {
      if (controller.signal.aborted) {
        throw new Error(
          `${this.spec.name} was not ready within ${deadlineMs} ms; last output:\n${this.output.text()}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Keeps the test run's marker (scripts/test.sh) in every child's environment for its leak check. */
function withTestRunMarker(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const marker = process.env['IMAGEURL_TEST_RUN'];
  return marker === undefined ? env : { ...env, IMAGEURL_TEST_RUN: marker };
}
