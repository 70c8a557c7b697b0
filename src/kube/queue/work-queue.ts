import { performance } from 'node:perf_hooks';
import type { QueueMetrics } from '../ops/metrics.js';
import { Fifo } from './fifo.js';
import { RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions {
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: QueueMetrics;
}

type Waiter = (key: string | undefined) => void;

/**
 * client-go's work queue semantics for string keys:
 * - a key is queued at most once however often it is added (deduplication);
 * - a key handed to a worker is not handed to another until `done(key)`; adds meanwhile are
 *   remembered and queue it again after `done` (one reconcile per key at a time);
 * - `addAfter` keeps only the earliest pending time per key; `addRateLimited` delays by the
 *   rate limiter (per-key exponential backoff and an overall bucket); `forget` resets it.
 * After `shutDown` no key is handed out any more (queued keys are abandoned: the caches still
 * know them) and `drain` waits until the keys in progress are done.
 */
export class WorkQueue {
  private readonly fifo = new Fifo();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: Waiter[] = [];
  private readonly drained: (() => void)[] = [];
  private shuttingDown = false;
  readonly rateLimiter: RateLimiter;

  constructor(private readonly options: WorkQueueOptions = {}) {
    this.rateLimiter = options.rateLimiter ?? new RateLimiter();
  }

  /** Keys waiting for a worker. */
  get length(): number {
    return this.fifo.length;
  }

  /** Keys a worker is on now. */
  get inProgress(): number {
    return this.processing.size;
  }

  /** Keys scheduled for later. */
  get pendingLater(): number {
    return this.delayed.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, performance.now());
    this.options.metrics?.added();
    if (!this.processing.has(key)) this.enqueue(key);
  }

  /** Adds `key` after `delayMs`; an earlier pending time for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = performance.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { at, timer });
  }

  /** Adds `key` after the rate limiter's delay for it; returns that delay. */
  addRateLimited(key: string): number {
    const delayMs = this.rateLimiter.when(key);
    this.options.metrics?.retried();
    this.addAfter(key, delayMs);
    return delayMs;
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** The next key, once there is one; undefined after shutDown. Call done(key) when finished. */
  async get(): Promise<string | undefined> {
    if (this.shuttingDown) return undefined;
    const key = this.fifo.shift();
    if (key !== undefined) {
      this.options.metrics?.depth(this.fifo.length);
      return this.take(key);
    }
    return new Promise<string | undefined>((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.enqueue(key);
    if (this.processing.size === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  /** Stops handing out keys: waiting workers get undefined, timers are cancelled. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    this.fifo.clear();
    this.dirty.clear();
    this.options.metrics?.depth(0);
  }

  /** Resolves when no key is in progress. */
  async drain(): Promise<void> {
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    await this.drain();
  }

  private enqueue(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(key));
    else {
      this.fifo.push(key);
      this.options.metrics?.depth(this.fifo.length);
    }
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.options.metrics?.waited((performance.now() - added) / 1000);
    return key;
  }
}
