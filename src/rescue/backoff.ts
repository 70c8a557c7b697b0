/**
 * Delays between connection tries: 250 ms doubling to a 4 s ceiling, each with up to 25 % of
 * random jitter subtracted (several controllers reconnecting after a network blip should not
 * stay in step), and never past the deadline.
 *
 *   try:      1      2      3      4      5      6 …
 *   delay:  250ms  500ms    1s     2s     4s     4s   (before jitter)
 */
export const backoffBaseMs = 250;
export const backoffCeilingMs = 4_000;

export function backoffDelay(
  failedTries: number,
  remainingMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedTries - 1);
  const nominal = Math.min(backoffCeilingMs, backoffBaseMs * 2 ** Math.min(exponent, 16));
  const jittered = nominal * (1 - 0.25 * random());
  return Math.max(0, Math.min(Math.round(jittered), remainingMs));
}
