import { exponentialDelayMs } from '../../util/backoff.js';

/** What a failed attempt looked like, as far as retrying goes. */
export type AttemptFailure =
  | { readonly kind: 'answer'; readonly status: number }
  | { readonly kind: 'network'; readonly code?: string; readonly timedOut: boolean };

/**
 * Socket errors that mean the request never reached Robot (the connection was refused or the
 * name did not resolve for now): safe to send again whatever the request does.
 */
const neverSent: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EAI_AGAIN']);

/**
 * Transient failures (5xx, resets, timeouts) are retried for idempotent calls only: a POST
 * that activates rescue, resets the server or stores a key may have taken effect before its
 * answer was lost. Requests that never left are retried always. 4xx never (403
 * `RATE_LIMIT_EXCEEDED` is the budget's business, not a retry).
 */
export function isRetried(failure: AttemptFailure, idempotent: boolean): boolean {
  if (failure.kind === 'network')
    return idempotent || (!failure.timedOut && failure.code !== undefined && neverSent.has(failure.code));
  return idempotent && failure.status >= 500 && failure.status < 600;
}

export interface BackoffOptions {
  /** Default 1000 ms. */
  readonly baseMs?: number;
  /** Default 30 000 ms. */
  readonly capMs?: number;
}

/**
 * Exponential backoff with jitter between base and the doubled value: retry 0 waits the base,
 * then U[1,2]×base, U[1,4]×base, … capped. `random` returns a number in [0, 1).
 */
export function backoffMs(retry: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const computed = exponentialDelayMs({ baseMs: base, capMs: options.capMs ?? 30_000 }, retry);
  return Math.round(base + Math.max(0, computed - base) * random());
}
