import type { RateLimitHeaders } from './rate-limit-headers.js';

export interface RequestBudgetOptions {
  /** Requests per hour until the API says otherwise; default 3600. */
  readonly limitPerHour?: number;
  /**
   * Below this many requests left, requests are spaced at the refill rate instead of sent at
   * once, so a burst slows down before the API answers 429. Default 5 % of the limit.
   */
  readonly lowWater?: number;
}

/** The budget's state, for metrics. */
export interface RequestBudgetState {
  readonly limitPerHour: number;
  /** Requests the client thinks it may still send without waiting (may be fractional). */
  readonly available: number;
  /** The last `RateLimit-Remaining` the API reported, if any. */
  readonly reportedRemaining?: number;
  /** The last `RateLimit-Reset` (UNIX ms), if any. */
  readonly reportedResetAtMs?: number;
  /** Urgent requests that had to wait, and how long all waits took (looks: `looksHeld`). */
  readonly waits: number;
  readonly waitedMs: number;
  /** 429 answers seen. */
  readonly rateLimited: number;
}

/**
 * A per-token token bucket mirroring the Cloud API's (docs.hetzner.cloud, "Rate Limiting"): capacity = limit,
 * refilled continuously at limit/hour. `reserve` books one request and says how long to wait
 * before sending it; answers' `RateLimit-*` headers pull the local view down to the API's (other
 * clients may share the project). Pure: time comes in as arguments.
 */
export class RequestBudget {
  private limit: number;
  private tokens: number;
  private at: number;
  private nextPacedAt = 0;
  private reported: RateLimitHeaders | undefined;
  private waits = 0;
  private waitedMs = 0;
  private rateLimited = 0;

  constructor(
    now: number,
    private readonly options: RequestBudgetOptions = {},
  ) {
    this.limit = options.limitPerHour ?? 3600;
    this.tokens = this.limit;
    this.at = now;
  }

  private get perMs(): number {
    return this.limit / 3_600_000;
  }

  private get lowWater(): number {
    return this.options.lowWater ?? Math.max(1, Math.floor(this.limit * 0.05));
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.limit, this.tokens + (now - this.at) * this.perMs);
    this.at = Math.max(this.at, now);
  }

  /** Books one request; returns how many ms to wait before sending it (0: send now). */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    const interval = 1 / this.perMs;
    let delay = this.tokens >= 0 ? 0 : -this.tokens * interval;
    if (this.tokens < this.lowWater) {
      delay = Math.max(delay, this.nextPacedAt - now);
      this.nextPacedAt = now + delay + interval;
    }
    if (delay > 0) {
      this.waits += 1;
      this.waitedMs += delay;
    }
    return Math.ceil(delay);
  }

  /** Requests that may be sent now without waiting (may be fractional or below zero when booked ahead). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** How long until `count` requests are available (0: now). */
  msUntil(now: number, count: number): number {
    this.refill(now);
    const missing = count - this.tokens;
    return missing <= 0 ? 0 : Math.ceil(missing / this.perMs);
  }

  /** Books one request now, with no pacing: the caller checked `available` first. */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /**
   * Takes in an answer's headers (any answer, 429 included). `othersInFlight`: requests sent but
   * not yet answered besides this one; the API's `Remaining` does not count them yet.
   */
  observe(now: number, headers: RateLimitHeaders | undefined, status: number, othersInFlight = 0): void {
    if (status === 429) {
      this.rateLimited += 1;
      this.refill(now);
      this.tokens = Math.min(this.tokens, 0);
    }
    if (headers === undefined) return;
    this.refill(now);
    this.reported = headers;
    if (headers.limit !== this.limit) {
      this.tokens += headers.limit - this.limit;
      this.limit = headers.limit;
    }
    this.tokens = Math.min(this.tokens, headers.remaining - othersInFlight);
  }

  state(now: number): RequestBudgetState {
    this.refill(now);
    return {
      limitPerHour: this.limit,
      available: Math.max(0, this.tokens),
      ...(this.reported === undefined
        ? {}
        : { reportedRemaining: this.reported.remaining, reportedResetAtMs: this.reported.resetAtMs }),
      waits: this.waits,
      waitedMs: Math.round(this.waitedMs),
      rateLimited: this.rateLimited,
    };
  }
}
