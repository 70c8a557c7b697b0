import { createConnection } from 'node:net';
import ssh2 from 'ssh2';
import { publicKeyFingerprint } from '../../sim/host/ssh-keys.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { execOnClient as exec, type TestSshSession } from './ssh-session.js';

/**
 * SSH for simulator tests, where systems come and go: a connection that is cut before the
 * handshake finishes (a system shutting down) fails instead of hanging, and `connectWhenUp`
 * retries until a system accepts the key or the deadline passes.
 */
/** A private key (OpenSSH text) or `{ password }`: how the test logs in as root. */
export type SshCredential = string | { readonly password: string };

export async function connectOnce(
  host: string,
  credential: SshCredential,
  port = 22,
): Promise<TestSshSession> {
  const client = new ssh2.Client();
  let hostKeyFingerprint = '';
  try {
    await new Promise<void>((resolve, reject) => {
      client
        .once('ready', resolve)
        // `on`, not `once`: a system going down can make ssh2 report a second error (a timeout,
        // then "Connection lost before handshake"); without a listener that one would crash the test.
        .on('error', reject)
        .once('close', () => reject(new Error(`connection to ${host} closed before login`)));
      client.connect({
        host,
        port,
        username: 'root',
        ...(typeof credential === 'string' ? { privateKey: credential } : { password: credential.password }),
        readyTimeout: 5_000,
        hostVerifier: (key: Buffer): boolean => {
          hostKeyFingerprint = publicKeyFingerprint(key);
          return true;
        },
      });
    });
  } catch (error) {
    client.end();
    throw error;
  }
  return {
    hostKeyFingerprint,
    exec: (command, stdin) => exec(client, command, stdin),
    end: () => client.end(),
  };
}

export async function connectWhenUp(
  host: string,
  credential: SshCredential,
  deadlineMs = 20_000,
): Promise<TestSshSession> {
  return waitFor(() => connectOnce(host, credential), { deadlineMs, description: `SSH login on ${host}` });
}

/** Whether anything accepts TCP connections on `host`:22 right now. */
export function portOpen(host: string, port = 22): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
