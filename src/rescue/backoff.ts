import { exponentialDelayMs, type ExponentialBackoff } from '../util/backoff.js';

/**
 * Delays between connection tries: 250 ms doubling to a 4 s ceiling, each with up to 25 % of
 * random jitter subtracted (several controllers reconnecting after a network blip should not
 * stay in step), and never past the deadline.
 *
 *   try:      1      2      3      4      5      6 …
 *   delay:  250ms  500ms    1s     2s     4s     4s   (before jitter)
 */
const backoff: ExponentialBackoff = { baseMs: 250, capMs: 4_000 };

export function backoffDelay(
  failedTries: number,
  remainingMs: number,
  random: () => number = Math.random,
): number {
  const nominal = exponentialDelayMs(backoff, failedTries - 1);
  const jittered = nominal * (1 - 0.25 * random());
  return Math.max(0, Math.min(Math.round(jittered), remainingMs));
}
