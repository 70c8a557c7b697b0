import { exponentialDelayMs } from '../../util/backoff.js';

/** What a failed attempt looked like, as far as retrying goes. */
export type AttemptFailure =
  | { readonly kind: 'response'; readonly status: number; readonly apiCode?: string }
  | { readonly kind: 'network'; readonly timedOut: boolean };

/**
 * JSON error codes hcloud-go and hcloud-python retry (hcloud-go `hcloud/client_handler_retry.go`);
 * never `locked`.
 */
const retriedCodes: ReadonlySet<string> = new Set([
  'conflict',
  'rate_limit_exceeded',
  'bad_gateway',
  'timeout',
]);

/**
 * hcloud-go's retry rule: network timeouts; JSON errors `conflict`, `rate_limit_exceeded`,
 * `bad_gateway`, `timeout`; bodiless 502 and 504. Not `locked`, not 503, not bodiless 409/423/429.
 */
export function isRetried(failure: AttemptFailure): boolean {
  if (failure.kind === 'network') return failure.timedOut;
  if (failure.apiCode !== undefined) return retriedCodes.has(failure.apiCode);
  return failure.status === 502 || failure.status === 504;
}

export interface BackoffOptions {
  /** Default 1000 ms. */
  readonly baseMs?: number;
  /** Default 2. */
  readonly multiplier?: number;
  /** Default 60 000 ms. */
  readonly capMs?: number;
}

/** At most 5 retries, as hcloud-go. */
export const maxRetries = 5;

/**
 * hcloud-go's exponential backoff with full jitter between base and the computed value:
 * retry 0 waits 1 s, then U[1,2] s, U[1,4] s, U[1,8] s, U[1,16] s (capped at 60 s).
 * `random` returns a number in [0, 1).
 */
export function backoffMs(retry: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const computed = exponentialDelayMs(
    { baseMs: base, capMs: options.capMs ?? 60_000, multiplier: options.multiplier ?? 2 },
    retry,
  );
  return base + (computed - base) * random();
}
