import { connect, type Socket } from 'node:net';
import type { SshBanners } from '../ports/ssh-banners.js';

/** An attempt older than this is replaced: a fresh SYN, because a lost one is only resent after 1 s. */
const FRESH_ATTEMPT_MS = 200;
/** No attempt lives longer (a server that drops SYNs never answers it). */
const ATTEMPT_DEADLINE_MS = 2_000;
/** A banner seen this long ago still counts (the caller connects for real right after). */
const ANSWER_VALID_MS = 5_000;
/** A watch with a callback keeps trying in the background this long after the last call. */
const WATCH_MS = 30_000;
/** Bytes of a banner line we read at most. */
const BANNER_LIMIT = 256;

interface Watched {
  attempt?: { readonly socket: Socket; readonly startedMs: number };
  answeredMs?: number;
  /** Told once when the banner appears; set while the watch tries in the background. */
  onAnswer?: () => void;
  watchUntilMs?: number;
  ticking?: boolean;
}

/**
 * SshBanners over plain TCP (one per process, held by the composition root). Each call costs at
 * most one connection attempt, never a wait; nothing is sent, so the server sees a client that
 * connected and went away.
 */
export class TcpBannerWatch implements SshBanners {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly now: () => number = Date.now) {}

  answering(host: string, port: number, onAnswer?: () => void): boolean {
    const key = `${host}:${port}`;
    const entry = this.watched.get(key) ?? {};
    this.watched.set(key, entry);
    const now = this.now();
    if (entry.answeredMs !== undefined && now - entry.answeredMs <= ANSWER_VALID_MS) {
      this.watched.delete(key);
      entry.attempt?.socket.destroy();
      return true;
    }
    delete entry.answeredMs; // too old to count
    this.freshen(host, port, entry);
    if (onAnswer !== undefined) {
      entry.onAnswer = onAnswer;
      entry.watchUntilMs = now + WATCH_MS;
      if (entry.ticking !== true) this.tick(key, host, port, entry);
    }
    return false;
  }

  /** Starts a connection attempt unless a fresh one is under way. */
  private freshen(host: string, port: number, entry: Watched): void {
    const now = this.now();
    if (entry.attempt === undefined || now - entry.attempt.startedMs >= FRESH_ATTEMPT_MS) {
      entry.attempt?.socket.destroy();
      entry.attempt = { socket: this.attempt(host, port, entry), startedMs: now };
    }
  }

  /** While watched with a callback and not answered: a fresh attempt every FRESH_ATTEMPT_MS. */
  private tick(key: string, host: string, port: number, entry: Watched): void {
    const watching =
      this.watched.get(key) === entry &&
      entry.answeredMs === undefined &&
      entry.onAnswer !== undefined &&
      this.now() < (entry.watchUntilMs ?? 0);
    entry.ticking = watching;
    if (!watching) return;
    this.freshen(host, port, entry);
    setTimeout(() => this.tick(key, host, port, entry), FRESH_ATTEMPT_MS).unref();
  }

  private attempt(host: string, port: number, entry: Watched): Socket {
    const socket = connect({ host, port });
    let banner = '';
    const end = (): void => {
      clearTimeout(timer);
      socket.destroy();
      if (entry.attempt?.socket === socket) delete entry.attempt;
    };
    const timer = setTimeout(end, ATTEMPT_DEADLINE_MS);
    timer.unref();
    socket.on('data', (chunk: Buffer) => {
      banner += chunk.toString('latin1');
      if (banner.startsWith('SSH-')) {
        entry.answeredMs = this.now();
        const onAnswer = entry.onAnswer;
        delete entry.onAnswer;
        onAnswer?.();
      }
      if (banner.includes('\n') || banner.length >= BANNER_LIMIT || banner.startsWith('SSH-')) end();
    });
    socket.on('error', end);
    socket.on('close', end);
    return socket;
  }
}
