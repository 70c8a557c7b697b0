import type { Transition } from './machine.js';

/**
 * One recorded change of a machine's state, kept on the object so that a report made hours later
 * (events expire after an hour) still sees it. A failure that keeps the state (a machine without
 * a failed state) is recorded too, with `from` equal to `to` and its reason.
 */
export type StateChange<State> = Omit<Transition<State>, 'machine'>;

/** How many changes an object keeps: a whole provisioning and a few retries, a few KiB of JSON. */
export const STATE_HISTORY_LIMIT = 32;

/**
 * The history with `change` appended, the oldest dropped beyond `limit`. A failure repeated in
 * the same state with the same reason is recorded once: a retried failure must not push the
 * provisioning out of the history.
 */
export function appendStateChange<State>(
  history: readonly StateChange<State>[] | undefined,
  change: StateChange<State>,
  limit = STATE_HISTORY_LIMIT,
): readonly StateChange<State>[] {
  const previous = history ?? [];
  const last = previous.at(-1);
  const repeated =
    change.from === change.to &&
    last !== undefined &&
    last.from === change.from &&
    last.to === change.to &&
    last.reason === change.reason;
  if (repeated) return previous;
  return [...previous, change].slice(-limit);
}
