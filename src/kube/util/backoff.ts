import { exponentialDelayMs } from '../../util/backoff.js';

/** Exponential backoff: `initialMs · 2^(attempt-1)`, capped, with up to `jitter` of it added at random. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** 0..1; spreads retries of many clients so they do not arrive together. Default 0. */
  readonly jitter?: number;
}

/** The delay before retry number `attempt` (1 for the first retry). */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = exponentialDelayMs({ baseMs: policy.initialMs, capMs: policy.maxMs }, attempt - 1);
  return Math.min(policy.maxMs, base * (1 + (policy.jitter ?? 0) * random()));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
