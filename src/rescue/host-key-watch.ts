import ssh2 from 'ssh2';
import type { HostKeySighting, SshHostKeys } from '../ports/ssh-host-keys.js';
import { hostKeyFingerprint } from './host-key.js';

/** No attempt lives longer (a server that drops connection attempts never answers it). */
const ATTEMPT_DEADLINE_MS = 2_000;
/** A sighting older than this is not reported; a fresh attempt is made instead. */
const SIGHTING_VALID_MS = 5_000;

interface Watched {
  running?: ssh2.Client;
  last?: { readonly sighting: HostKeySighting; readonly atMs: number };
}

/**
 * SshHostKeys over ssh2 (one per process, held by the composition root). Each attempt ends
 * right after the server's host key is seen: the verifier rejects it, so no credentials are
 * offered and nothing runs on the server.
 */
export class SshHostKeyWatch implements SshHostKeys {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly now: () => number = Date.now) {}

  sighting(host: string, port: number): HostKeySighting {
    const key = `${host}:${port}`;
    const entry = this.watched.get(key) ?? {};
    this.watched.set(key, entry);
    const last = entry.last;
    if (last !== undefined && this.now() - last.atMs <= SIGHTING_VALID_MS) {
      // Reported once: the next call asks again, so a rebooting server is followed.
      delete entry.last;
      if (entry.running === undefined) this.watched.delete(key);
      return last.sighting;
    }
    entry.running ??= this.attempt(host, port, entry);
    return { kind: 'unknown' };
  }

  private attempt(host: string, port: number, entry: Watched): ssh2.Client {
    const client = new ssh2.Client();
    let outcome: HostKeySighting | undefined;
    const end = (sighting: HostKeySighting): void => {
      outcome ??= sighting;
      if (entry.running !== client) return;
      delete entry.running;
      entry.last = { sighting: outcome, atMs: this.now() };
      client.end();
      client.destroy();
    };
    client.on('error', (error: Error & { code?: string; level?: string }) => {
      if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT') end({ kind: 'silent' });
      else end({ kind: 'refused' });
    });
    client.on('close', () => end({ kind: 'refused' }));
    client.on('ready', () => end({ kind: 'refused' }));
    client.connect({
      host,
      port,
      username: 'imageurl-probe',
      readyTimeout: ATTEMPT_DEADLINE_MS,
      // Synchronous: the key is all we want, so the handshake is ended here.
      hostVerifier: (blob: Buffer): boolean => {
        outcome = { kind: 'key', fingerprint: hostKeyFingerprint(blob) };
        return false;
      },
    });
    return client;
  }
}
