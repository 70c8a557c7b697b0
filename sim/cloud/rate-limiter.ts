export interface RateLimitState {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The Cloud API's token bucket (docs.hetzner.cloud, "Rate Limiting"): capacity `limit`, refilled
 * continuously at `limit` per hour, one bucket per token (each token is its own project here).
 * Headers go on every response; a refused request has no other effect.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateLimitState {
    const now = this.now();
    const perMs = this.limit / 3_600_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit, at: now };
    bucket.tokens = Math.min(this.limit, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    const remaining = Math.floor(bucket.tokens);
    const resetSeconds = Math.ceil((this.limit - bucket.tokens) / (perMs * 1000));
    return {
      allowed,
      headers: {
        'RateLimit-Limit': String(this.limit),
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': String(Math.floor(now / 1000) + resetSeconds),
      },
    };
  }

  /** Empties a bucket, for the admin path's "429 burst" fault. */
  drain(key: string): void {
    this.buckets.set(key, { tokens: 0, at: this.now() });
  }
}
