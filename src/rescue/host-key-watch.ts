import ssh2 from 'ssh2';
import type { HostKeySighting, SshHostKeys } from '../ports/ssh-host-keys.js';
import { hostKeyFingerprint } from './host-key.js';

/** No attempt lives longer (a server that drops connection attempts never answers it). */
const ATTEMPT_DEADLINE_MS = 2_000;
/** Between background attempts while watched (one runs at a time). */
const TICK_MS = 250;
/** A sighting older than this is not reported; a fresh attempt is made instead. */
const SIGHTING_VALID_MS = 5_000;
/** A watch with a callback keeps trying in the background this long after the last call. */
const WATCH_MS = 30_000;

interface Watched {
  running?: ssh2.Client;
  last?: { readonly sighting: HostKeySighting; readonly atMs: number };
  /** Told once when a host key is seen; set while the watch tries in the background. */
  onKey?: () => void;
  watchUntilMs?: number;
  ticking?: boolean;
}

/**
 * SshHostKeys over ssh2 (one per process, held by the composition root). Each attempt ends
 * right after the server's host key is seen: the verifier rejects it, so no credentials are
 * offered and nothing runs on the server. One attempt at a time per address: silence is only
 * ever an attempt's own deadline passing, never inferred from a slow event loop.
 */
export class SshHostKeyWatch implements SshHostKeys {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly now: () => number = Date.now) {}

  sighting(host: string, port: number, onKey?: () => void): HostKeySighting {
    const key = `${host}:${port}`;
    const entry = this.watched.get(key) ?? {};
    this.watched.set(key, entry);
    const last = entry.last;
    if (last !== undefined && this.now() - last.atMs <= SIGHTING_VALID_MS) {
      // Reported once: the next call asks again, so a rebooting server is followed.
      delete entry.last;
      if (entry.running === undefined && last.sighting.kind === 'key') this.watched.delete(key);
      return last.sighting;
    }
    entry.running ??= this.attempt(host, port, entry);
    if (onKey !== undefined) {
      entry.onKey = onKey;
      entry.watchUntilMs = this.now() + WATCH_MS;
      if (entry.ticking !== true) this.tick(key, { host, port }, entry);
    }
    return { kind: 'unknown' };
  }

  /** While watched with a callback and no key seen: an attempt after another, in the background. */
  private tick(key: string, at: { readonly host: string; readonly port: number }, entry: Watched): void {
    const watching =
      this.watched.get(key) === entry && entry.onKey !== undefined && this.now() < (entry.watchUntilMs ?? 0);
    entry.ticking = watching;
    if (!watching) return;
    entry.running ??= this.attempt(at.host, at.port, entry);
    setTimeout(() => this.tick(key, at, entry), TICK_MS).unref();
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
      if (outcome.kind !== 'key') return;
      const onKey = entry.onKey;
      delete entry.onKey;
      onKey?.();
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
