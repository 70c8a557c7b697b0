import type {
  AttemptInput,
  ImageUrlCommandObservation,
  RescueDisk,
  RescueSession,
  StartImageUrlCommandInput,
  StartImageUrlCommandResult,
  StopInput,
} from '../ports/rescue-system.js';
import { RescueError } from '../ports/rescue-errors.js';
import { parseLsblk } from './lsblk.js';
import { observeCommand } from './observe-command.js';
import { redactText } from './redact.js';
import { remoteCommands } from './remote-commands.js';
import type { SessionContext } from './session-context.js';
import { startCommand } from './start-command.js';
import { rebootSystem, stopCommand } from './stop-command.js';

/** The ssh2 implementation of the rescue port: each method delegates to one small module. */
export class SshRescueSession implements RescueSession {
  constructor(private readonly context: SessionContext) {}

  get hostKeyFingerprint(): string {
    return this.context.connection.hostKeyFingerprint;
  }

  hostname(): Promise<string> {
    return this.guard(async () => this.redact((await this.run(remoteCommands.hostname, 'hostname')).trim()));
  }

  disks(): Promise<readonly RescueDisk[]> {
    return this.guard(async () => {
      const json = await this.run(remoteCommands.lsblk, 'lsblk');
      try {
        return parseLsblk(json).map((disk) => this.redactDisk(disk));
      } catch (error) {
        throw this.context.connection.failure('reading the lsblk output', error);
      }
    });
  }

  startImageUrlCommand(input: StartImageUrlCommandInput): Promise<StartImageUrlCommandResult> {
    return this.guard(() => startCommand(this.context, input));
  }

  observe(input: AttemptInput): Promise<ImageUrlCommandObservation> {
    return this.guard(() => observeCommand(this.context, input.attemptId));
  }

  stop(input: StopInput): Promise<ImageUrlCommandObservation> {
    return this.guard(() => stopCommand(this.context, input));
  }

  reboot(): Promise<void> {
    return this.guard(() => rebootSystem(this.context));
  }

  close(): Promise<void> {
    return this.context.connection.close();
  }

  private async run(
    command: Parameters<SessionContext['connection']['exec']>[0],
    what: string,
  ): Promise<string> {
    const result = await this.context.connection.exec(command, {
      timeoutMs: this.context.timeouts.commandMs,
    });
    if (result.code !== 0) {
      throw this.context.connection.failure(
        what,
        new Error(`exit code ${String(result.code)}: ${result.stderr.trim()}`),
      );
    }
    return result.stdout;
  }

  private redact(text: string): string {
    return redactText(text, this.context.secrets);
  }

  private redactDisk(disk: RescueDisk): RescueDisk {
    const optional = (key: 'wwn' | 'serial' | 'model'): Partial<RescueDisk> => {
      const value = disk[key];
      return value === undefined ? {} : { [key]: this.redact(value) };
    };
    return {
      name: this.redact(disk.name),
      sizeBytes: disk.sizeBytes,
      ...optional('wwn'),
      ...optional('serial'),
      ...optional('model'),
    };
  }

  /** Errors leave the session redacted too: they may quote remote output. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof RescueError)) throw error;
      const message = this.redact(error.message);
      if (message === error.message) throw error;
      throw new RescueError(error.code, message, { cause: error.cause });
    }
  }
}
