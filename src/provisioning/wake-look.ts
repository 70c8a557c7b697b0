import type { StepContext } from './step-context.js';

/**
 * For a background watch (an SSH banner, a host key): makes the planned look at `key` due at
 * once and wakes the machine, so it rests until then instead of asking on a short timer.
 * Undefined when nobody can wake it.
 */
export function wakeOnAnswer(ctx: StepContext, key: string): (() => void) | undefined {
  const { wake, waits } = ctx;
  if (wake === undefined) return undefined;
  return () => {
    const planned = waits.plannedLook(key);
    if (planned !== undefined) waits.plan(key, { ...planned, atMs: 0 });
    wake();
  };
}
