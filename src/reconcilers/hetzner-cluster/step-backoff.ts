import type { Check } from './checks.js';

/** How long a failed infrastructure step waits before it calls the API again. */
export interface StepBackoffTimings {
  /** First wait after a failure that may pass by itself (5xx, locked, network); doubles. */
  readonly retryableMs: number;
  /** First wait after one an operator must fix (quota, invalid input, forbidden); doubles. */
  readonly operatorMs: number;
  readonly maxMs: number;
}

export const defaultStepBackoff: StepBackoffTimings = {
  retryableMs: 5_000,
  operatorMs: 60_000,
  maxMs: 600_000,
};

interface Failure {
  readonly generation: number | undefined;
  readonly until: number;
  readonly delayMs: number;
  readonly check: Check;
}

export interface FailureInput {
  readonly check: Check;
  /** The error may pass by itself (a shorter first wait). */
  readonly retryable: boolean;
  readonly now: number;
  /** E.g. the rate limit's reset. */
  readonly atLeastMs?: number;
}

export interface StepKey {
  readonly uid: string;
  readonly step: string;
  readonly generation: number | undefined;
}

/**
 * The memory that keeps a failing step from calling the API again on every reconcile: the
 * cluster is reconciled whenever one of its machines changes, so without it a quota error
 * would be retried many times a minute (CAPH's behaviour). A spec change (new generation)
 * tries again at once; in memory only, so a restart tries once more.
 */
export class StepBackoff {
  private readonly failures = new Map<string, Failure>();

  constructor(private readonly timings: StepBackoffTimings = defaultStepBackoff) {}

  /** The stored failing check and the time left, while the step should not run. */
  waiting(key: StepKey, now: number): { readonly check: Check; readonly waitMs: number } | undefined {
    const failure = this.failures.get(keyOf(key));
    if (failure === undefined || failure.generation !== key.generation || failure.until <= now)
      return undefined;
    return { check: failure.check, waitMs: failure.until - now };
  }

  /** Records a failure; returns how long to wait (doubling while it keeps failing). */
  failed(key: StepKey, failure: FailureInput): number {
    const { check, retryable, now, atLeastMs = 0 } = failure;
    const previous = this.failures.get(keyOf(key));
    const base = retryable ? this.timings.retryableMs : this.timings.operatorMs;
    const doubled =
      previous !== undefined && previous.generation === key.generation ? previous.delayMs * 2 : base;
    const delayMs = Math.min(this.timings.maxMs, Math.max(base, doubled, atLeastMs));
    this.failures.set(keyOf(key), { generation: key.generation, until: now + delayMs, delayMs, check });
    return delayMs;
  }

  succeeded(key: StepKey): void {
    this.failures.delete(keyOf(key));
  }

  forget(uid: string | undefined): void {
    for (const key of [...this.failures.keys()])
      if (key.startsWith(`${uid ?? ''}/`)) this.failures.delete(key);
  }
}

const keyOf = (key: StepKey): string => `${key.uid}/${key.step}`;
