/** The three `RateLimit-*` headers of every Cloud API answer (docs.hetzner.cloud, "Rate Limiting"). */
export interface RateLimitHeaders {
  /** Requests per hour. */
  readonly limit: number;
  /** Requests left now. */
  readonly remaining: number;
  /** UNIX milliseconds when the bucket is full again. */
  readonly resetAtMs: number;
}

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

export function readRateLimitHeaders(headers: Headers): RateLimitHeaders | undefined {
  const limit = intHeader(headers, 'ratelimit-limit');
  const remaining = intHeader(headers, 'ratelimit-remaining');
  const reset = intHeader(headers, 'ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined || limit <= 0) return undefined;
  return { limit, remaining, resetAtMs: reset * 1000 };
}

/**
 * When one more request is allowed, from `RateLimit-Reset`: the bucket is full at Reset and
 * refills continuously, so one request comes back every (Reset − now) / (Limit − Remaining).
 * Without usable headers: one second (3600/hour refills one request per second).
 */
export function retryAfterFromHeaders(headers: Headers, now: number): number {
  const rate = readRateLimitHeaders(headers);
  if (rate === undefined) return 1000;
  const untilFull = Math.max(0, rate.resetAtMs - now);
  const missing = rate.limit - rate.remaining;
  if (missing <= 0) return 0;
  return Math.ceil(Math.max(untilFull / missing, 3_600_000 / rate.limit));
}
