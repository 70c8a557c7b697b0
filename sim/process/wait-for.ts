export interface WaitOptions {
  readonly deadlineMs: number;
  /** Pause between attempts; grows by half up to 1 s so fast conditions are seen quickly. */
  readonly initialIntervalMs?: number;
  /** Names the awaited condition in the timeout error. */
  readonly description: string;
}

/**
 * Polls `probe` until it returns a value other than `undefined`, or fails with the last error
 * the probe threw once the deadline has passed. This is how tests wait: on a condition, never
 * on a fixed sleep.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.deadlineMs;
  let interval = options.initialIntervalMs ?? 20;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.deadlineMs} ms waiting for ${options.description}${why}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(interval, Math.max(deadline - Date.now(), 1))),
    );
    interval = Math.min(interval * 1.5, 1_000);
  }
}
