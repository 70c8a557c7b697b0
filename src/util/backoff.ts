/**
 * The exponential part every retry loop shares: `baseMs · multiplier^step`, capped at `capMs`;
 * step 0 waits the base. Callers add their own jitter on top (the rescue connection subtracts
 * some, the Hetzner clients spread between the base and this value as hcloud-go does, the
 * informer adds some), so the sequences stay exact and testable. Nothing else is imported here,
 * so every layer may use it.
 */
export interface ExponentialBackoff {
  readonly baseMs: number;
  readonly capMs: number;
  /** Default 2. */
  readonly multiplier?: number;
}

/**
 * Steps beyond this one are treated as this one: the power stays finite (a base of 0 stays 0
 * instead of NaN), and with any base of 1 ms or more 2^52 ms is far past every cap in use.
 */
const MAX_STEP = 52;

/** The delay of step `step` (0 for the first); negative steps count as 0. */
export function exponentialDelayMs(backoff: ExponentialBackoff, step: number): number {
  const exponent = Math.max(0, Math.min(step, MAX_STEP));
  return Math.min(backoff.capMs, backoff.baseMs * (backoff.multiplier ?? 2) ** exponent);
}
