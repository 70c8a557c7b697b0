import { exponentialDelayMs } from '../../util/backoff.js';

export interface RateLimiterOptions {
  /** First retry delay of a key; doubles per consecutive failure. Default 5 ms (client-go). */
  readonly baseDelayMs?: number;
  /** Cap of the per-key delay. Default 5 minutes. */
  readonly maxDelayMs?: number;
  /** Overall retry rate across all keys (token bucket). Default 10/s. */
  readonly bucketPerSecond?: number;
  /** Retries allowed at once before the bucket rate applies. Default 100. */
  readonly bucketBurst?: number;
  readonly now?: () => number;
}

/**
 * client-go's default controller rate limiter: the larger of a per-key exponential backoff
 * (so one broken object backs off on its own) and an overall token bucket (so many failing
 * objects together cannot hammer the apiserver or Hetzner).
 */
export class RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private last: number;

  constructor(options: RateLimiterOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.perSecond = options.bucketPerSecond ?? 10;
    this.burst = options.bucketBurst ?? 100;
    this.now = options.now ?? Date.now;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** The delay before the next retry of `key`; counts one more failure for it. */
  when(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const perKey = exponentialDelayMs({ baseMs: this.baseDelayMs, capMs: this.maxDelayMs }, failures);
    return Math.max(perKey, this.reserve());
  }

  /** Consecutive failures of `key` so far. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** `key` succeeded: its next failure starts from the base delay again. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Takes one token; the wait until that token exists (0 while the burst lasts). */
  private reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }
}
