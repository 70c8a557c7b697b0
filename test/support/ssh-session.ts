import ssh2 from 'ssh2';
import { publicKeyFingerprint } from '../../sim/host/ssh-keys.js';

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface TestSshSession {
  /** Fingerprint of the key the server presented. */
  readonly hostKeyFingerprint: string;
  exec(command: string, stdin?: Buffer): Promise<ExecResult>;
  end(): void;
}

/**
 * A plain ssh2 client for tests of the simulated servers (the product's rescue client lives in
 * src/rescue). Records the host key rather than trusting a pinned one.
 */
export async function connectSsh(host: string, port: number, privateKey: string): Promise<TestSshSession> {
  const client = new ssh2.Client();
  let hostKeyFingerprint = '';
  await new Promise<void>((resolve, reject) => {
    // `on`: ssh2 may report more than one error for one failed connection.
    client.once('ready', resolve).on('error', reject);
    client.connect({
      host,
      port,
      username: 'root',
      privateKey,
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer): boolean => {
        hostKeyFingerprint = publicKeyFingerprint(key);
        return true;
      },
    });
  });
  return {
    hostKeyFingerprint,
    exec: (command, stdin) => execOnClient(client, command, stdin),
    end: () => client.end(),
  };
}

/** Runs one command on a connected client, collecting its output and exit status. */
export async function execOnClient(
  client: ssh2.Client,
  command: string,
  stdin?: Buffer,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) {
        reject(error);
        return;
      }
      const stdout: Buffer[] = [];
      let stderr = '';
      let code: number | null = null;
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      channel.on('exit', (exitCode: number | null) => (code = exitCode));
      channel.on('close', () => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
      channel.end(stdin);
    });
  });
}
