import { randomBytes } from 'node:crypto';
import { parseKeyValues } from './command-state.js';
import { launcherBase, launcherPath, launcherScript } from './launcher-script.js';
import { redactText } from './redact.js';
import type { RemoteCommand } from './remote-commands.js';
import { remoteFailed, type SshConnection } from './ssh-connection.js';

export interface SessionTimeouts {
  /** Budget for one fixed remote command (hostname, lsblk, launcher start/status). */
  readonly commandMs: number;
}

/** What the operations of one rescue session share: the connection, the secrets, the launcher. */
export class SessionContext {
  private readonly secretValues: Set<string>;
  private launcherReady: Promise<void> | undefined;

  constructor(
    readonly connection: SshConnection,
    secrets: readonly string[],
    readonly timeouts: SessionTimeouts,
  ) {
    this.secretValues = new Set(secrets.filter((secret) => secret !== ''));
  }

  get secrets(): readonly string[] {
    return [...this.secretValues];
  }

  addSecret(secret: string | undefined): void {
    if (secret !== undefined && secret !== '') this.secretValues.add(secret);
  }

  /** Runs a launcher subcommand and returns its `key=value` answer; a failure names the launcher's reason. */
  async runLauncher(
    command: RemoteCommand,
    stdin: Buffer | undefined,
    timeoutMs: number,
  ): Promise<Map<string, string>> {
    await this.ensureLauncher();
    const result = await this.connection.exec(command, { ...(stdin ? { stdin } : {}), timeoutMs });
    const values = parseKeyValues(result.stdout);
    if (result.code !== 0) {
      const reason = values.get('error') ?? `exit code ${String(result.code)}: ${result.stderr.trim()}`;
      // The cause is logged with the error: it must be as clean as the message.
      throw remoteFailed(
        this.connection.where,
        `the rescue launcher`,
        new Error(redactText(reason, this.secrets)),
      );
    }
    return values;
  }

  /** Uploads the launcher once per session (write a temporary name, then an atomic rename). */
  ensureLauncher(): Promise<void> {
    this.launcherReady ??= this.uploadLauncher();
    this.launcherReady.catch(() => (this.launcherReady = undefined));
    return this.launcherReady;
  }

  private async uploadLauncher(): Promise<void> {
    try {
      const files = await this.connection.sftp();
      const present = await files.lstat(launcherPath);
      if (present?.isFile() && present.size === Buffer.byteLength(launcherScript)) return;
      await files.mkdir(launcherBase, 0o700);
      const temporary = `${launcherPath}.tmp-${randomBytes(6).toString('hex')}`;
      await files.writeFile(temporary, [Buffer.from(launcherScript)], 0o700);
      await files.rename(temporary, launcherPath);
    } catch (error) {
      throw this.connection.failure('uploading the rescue launcher', error);
    }
  }
}
