import { BoundedText } from './bounded-text.js';
import ssh2 from 'ssh2';
import { RescueError } from '../ports/rescue-errors.js';
import { classifyConnectError, connectionLost } from './classify-error.js';
import { hostKeyFingerprint, isExpectedHostKey } from './host-key.js';
import type { RemoteCommand } from './remote-commands.js';
import { SftpFiles } from './sftp-files.js';

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly privateKey: string;
  readonly pinnedHostKey?: string;
  /** Fingerprints vouched for elsewhere (see RescueTarget.expectedHostKeys); non-empty when given. */
  readonly expectedHostKeys?: readonly string[];
  /** Budget for TCP connect + SSH handshake + authentication of this one try. */
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
}

export interface ExecOptions {
  readonly stdin?: Buffer;
  readonly timeoutMs: number;
  /** Output beyond this many bytes per stream is dropped (and `truncated` set). */
  readonly maxOutputBytes?: number;
}

export interface ExecResult {
  /** Null when the command ended without an exit status (e.g. the system went down). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One SSH connection as root: a single try, no retries (see connect.ts). */
export class SshConnection {
  private lost: RescueError | undefined;
  private readonly onLost = new Set<(error: RescueError) => void>();
  private sftpFiles: Promise<SftpFiles> | undefined;

  private constructor(
    private readonly client: ssh2.Client,
    readonly where: string,
    readonly hostKeyFingerprint: string,
  ) {
    // An 'error' without a listener would crash the process; after 'ready' every error means
    // the connection is gone, and every pending operation learns that at once.
    const markLost = (error?: unknown): void => {
      this.lost ??= connectionLost(error, where);
      for (const notify of this.onLost) notify(this.lost);
    };
    client.on('error', markLost).on('close', () => markLost());
  }

  static async open(options: ConnectionOptions): Promise<SshConnection> {
    const where = `root@${options.host}:${options.port}`;
    const client = new ssh2.Client();
    let presented: string | undefined;
    let refused: RescueError | undefined;
    return new Promise((resolve, reject) => {
      const fail = (error: unknown): void => {
        client.removeAllListeners();
        client.on('error', () => undefined);
        client.destroy();
        reject(refused ?? classifyConnectError(error, where));
      };
      client
        .once('error', fail)
        .once('close', () => fail(new Error('connection closed before it was ready')));
      client.once('ready', () => {
        client.removeAllListeners();
        // Every operation is a short request/answer exchange: Nagle's algorithm with delayed
        // ACKs would add ~40 ms to each round trip.
        client.setNoDelay(true);
        resolve(new SshConnection(client, where, presented ?? ''));
      });
      try {
        client.connect({
          host: options.host,
          port: options.port,
          username: 'root',
          privateKey: options.privateKey,
          authHandler: ['publickey'],
          readyTimeout: options.readyTimeoutMs,
          keepaliveInterval: options.keepaliveIntervalMs,
          keepaliveCountMax: options.keepaliveCountMax,
          // Synchronous on purpose: ssh2 accepts any truthy return, so an async verifier
          // (a Promise) would let every key through.
          hostVerifier: (key: Buffer): boolean => {
            presented = hostKeyFingerprint(key);
            refused = refusedHostKey(where, key, presented, options);
            return refused === undefined;
          },
        });
      } catch (error) {
        client.removeAllListeners();
        reject(
          new RescueError('RESCUE_INVALID_INPUT', `invalid privateKey: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    });
  }

  /** Runs one of the fixed remote commands; rejects when the connection is lost meanwhile. */
  async exec(command: RemoteCommand, options: ExecOptions): Promise<ExecResult> {
    this.throwIfLost();
    return new Promise((resolve, reject) => {
      const limit = options.maxOutputBytes ?? 1024 * 1024;
      const stdout = new BoundedText(limit);
      const stderr = new BoundedText(limit);
      let code: number | null = null;
      let channel: ssh2.ClientChannel | undefined;
      const finish = (error?: RescueError): void => {
        clearTimeout(timer);
        this.onLost.delete(finish);
        if (error) {
          channel?.close();
          reject(error);
        } else resolve({ code, stdout: stdout.text(), stderr: stderr.text() });
      };
      const timer = setTimeout(
        () =>
          finish(
            new RescueError(
              'SSH_TIMEOUT',
              `${this.where}: no answer to a remote command within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
      this.onLost.add(finish);
      this.client.exec(command, (error, opened) => {
        if (error) {
          finish(this.lost ?? remoteFailed(this.where, 'opening a command channel', error));
          return;
        }
        channel = opened;
        opened.on('data', (chunk: Buffer) => stdout.add(chunk));
        opened.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
        opened.on('exit', (exitCode: number | null) => (code = exitCode));
        opened.on('close', () => finish());
        opened.end(options.stdin);
      });
    });
  }

  /** The session's SFTP channel, opened on first use. */
  async sftp(): Promise<SftpFiles> {
    this.throwIfLost();
    this.sftpFiles ??= new Promise<SftpFiles>((resolve, reject) => {
      this.client.sftp((error, sftp) =>
        error ? reject(remoteFailed(this.where, 'opening SFTP', error)) : resolve(new SftpFiles(sftp)),
      );
    });
    this.sftpFiles.catch(() => (this.sftpFiles = undefined));
    return this.sftpFiles;
  }

  /** The error to report for a failed operation: the lost connection if that is why, else `what` failed. */
  failure(what: string, cause: unknown): RescueError {
    if (this.lost) return this.lost;
    if (cause instanceof RescueError) return cause;
    return remoteFailed(this.where, what, cause);
  }

  throwIfLost(): void {
    if (this.lost) throw this.lost;
  }

  /** Ends the connection; waits for the socket to close, at most one second. */
  async close(): Promise<void> {
    if (this.lost) return;
    this.lost = new RescueError('SSH_CONNECTION_LOST', `the session with ${this.where} was closed`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 1_000);
      this.onLost.add(() => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }
}

export function remoteFailed(where: string, what: string, cause: unknown): RescueError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RescueError('RESCUE_REMOTE_FAILED', `${where}: ${what} failed: ${detail}`, { cause });
}

/** Why the presented key is refused (the pin first, then the expected keys), or undefined. */
function refusedHostKey(
  where: string,
  key: Buffer,
  presented: string,
  options: ConnectionOptions,
): RescueError | undefined {
  const pinned = options.pinnedHostKey;
  if (pinned !== undefined && presented !== pinned) {
    return new RescueError(
      'SSH_HOST_KEY_MISMATCH',
      `${where} presented host key ${presented}, but this attempt pinned ${pinned}; refusing to connect (a rebooted or different system, or a man in the middle)`,
    );
  }
  const expected = options.expectedHostKeys;
  if (expected !== undefined && !isExpectedHostKey(key, expected)) {
    return new RescueError(
      'SSH_HOST_KEY_MISMATCH',
      `${where} presented host key ${presented}, which is none of the ${expected.length} expected for this system (${expected.join(', ')}); refusing to connect (another system, or a man in the middle)`,
    );
  }
  return undefined;
}
