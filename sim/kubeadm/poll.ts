import { setTimeout as sleep } from 'node:timers/promises';

/** The node stopped (powered off, reset, deleted) while a step was still waiting. */
export class NodeStoppedError extends Error {
  readonly code = 'NODE_STOPPED';
}

export interface PollOptions {
  readonly deadlineMs: number;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  /** Names what is awaited in the timeout error. */
  readonly description: string;
}

/**
 * Calls `probe` until it returns a value; a probe that throws ends the wait with its error (so
 * a definite failure is not retried). Ends with NodeStoppedError when `signal` aborts.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.deadlineMs;
  for (;;) {
    if (options.signal.aborted)
      throw new NodeStoppedError(`stopped while waiting for ${options.description}`);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${options.deadlineMs} ms waiting for ${options.description}`);
    await sleep(options.intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
