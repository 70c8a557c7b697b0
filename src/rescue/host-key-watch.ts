import ssh2 from 'ssh2';
import type { HostKeySighting, SshHostKeys } from '../ports/ssh-host-keys.js';
import { hostKeyFingerprint } from './host-key.js';

/** No attempt lives longer (a server that drops connection attempts never answers it). */
const ATTEMPT_DEADLINE_MS = 2_000;
/** An attempt not connected by then is replaced: a fresh SYN, as a lost one is only resent after 1 s. */
const FRESH_ATTEMPT_MS = 250;
/** A sighting older than this is not reported; a fresh attempt is made instead. */
const SIGHTING_VALID_MS = 5_000;
/** A watch with a callback keeps trying in the background this long after the last call. */
const WATCH_MS = 30_000;

interface Attempt {
  readonly client: ssh2.Client;
  readonly startedMs: number;
  connected: boolean;
}

interface Watched {
  running?: Attempt;
  last?: { readonly sighting: HostKeySighting; readonly atMs: number };
  /** Told once when a host key is seen; set while the watch tries in the background. */
  onKey?: () => void;
  watchUntilMs?: number;
  ticking?: boolean;
  /** Since when attempts go unanswered (each replaced while fresh): silent once it lasts. */
  unansweredSinceMs?: number;
}

/**
 * SshHostKeys over ssh2 (one per process, held by the composition root). Each attempt ends
 * right after the server's host key is seen: the verifier rejects it, so no credentials are
 * offered and nothing runs on the server.
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
    this.freshen(host, port, entry);
    if (onKey !== undefined) {
      entry.onKey = onKey;
      entry.watchUntilMs = this.now() + WATCH_MS;
      if (entry.ticking !== true) this.tick(key, { host, port }, entry);
    }
    return { kind: 'unknown' };
  }

  /** Starts an attempt unless one is under way that connected or is still fresh. */
  private freshen(host: string, port: number, entry: Watched): void {
    const running = entry.running;
    const now = this.now();
    if (running !== undefined && (running.connected || now - running.startedMs < FRESH_ATTEMPT_MS)) return;
    if (running !== undefined) {
      running.client.destroy();
      entry.unansweredSinceMs ??= running.startedMs;
      if (now - entry.unansweredSinceMs >= ATTEMPT_DEADLINE_MS)
        entry.last = { sighting: { kind: 'silent' }, atMs: now };
    }
    entry.running = this.attempt(host, port, entry);
  }

  /** While watched with a callback and no key seen: an attempt after another, in the background. */
  private tick(key: string, at: { readonly host: string; readonly port: number }, entry: Watched): void {
    const watching =
      this.watched.get(key) === entry && entry.onKey !== undefined && this.now() < (entry.watchUntilMs ?? 0);
    entry.ticking = watching;
    if (!watching) return;
    this.freshen(at.host, at.port, entry);
    setTimeout(() => this.tick(key, at, entry), FRESH_ATTEMPT_MS).unref();
  }

  private attempt(host: string, port: number, entry: Watched): Attempt {
    const client = new ssh2.Client();
    const attempt: Attempt = { client, startedMs: this.now(), connected: false };
    let outcome: HostKeySighting | undefined;
    const end = (sighting: HostKeySighting): void => {
      outcome ??= sighting;
      if (entry.running !== attempt) return;
      delete entry.running;
      if (outcome.kind !== 'silent') delete entry.unansweredSinceMs;
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
    client.on('connect', () => {
      attempt.connected = true;
      delete entry.unansweredSinceMs;
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
    return attempt;
  }
}
