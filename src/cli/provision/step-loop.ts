import { setTimeout as delay } from 'node:timers/promises';
import type { Requeue } from '../../state-machine/index.js';

/** Where a run ended: the goal state, the failed state, or stopped by a signal at a safe point. */
export type LoopEnd = 'done' | 'failed' | 'stopped';

/** One machine of the engine, driven locally instead of by a work queue. */
export interface StepDriver<S> {
  step(status: S): Promise<{ readonly status: S; readonly requeue: Requeue }>;
  /** Written after every step, before any wait: a run killed at any moment resumes from here. */
  save(status: S): Promise<void>;
  /** Undefined while there is more to do. */
  ended(status: S): Exclude<LoopEnd, 'stopped'> | undefined;
}

/** The engine says "no requeue" only when an outside change is needed; a CLI looks again anyway. */
const NO_REQUEUE_LOOK_AGAIN_MS = 10_000;

/**
 * Steps the machine until it ends or `signal` aborts. A signal never interrupts a step (a step
 * may be between a side effect and recording it): the step finishes, its status is saved, and
 * the wait before the next one is cut short.
 */
export async function runSteps<S>(
  driver: StepDriver<S>,
  initial: S,
  signal: AbortSignal,
): Promise<{ readonly status: S; readonly end: LoopEnd }> {
  let status = initial;
  for (;;) {
    const end = driver.ended(status);
    if (end !== undefined) return { status, end };
    if (signal.aborted) return { status, end: 'stopped' };
    const outcome = await driver.step(status);
    status = outcome.status;
    await driver.save(status);
    if (driver.ended(status) !== undefined) continue;
    const waitMs = outcome.requeue.kind === 'none' ? NO_REQUEUE_LOOK_AGAIN_MS : outcome.requeue.ms;
    await delay(Math.max(1, waitMs), undefined, { signal }).catch(() => undefined);
  }
}
