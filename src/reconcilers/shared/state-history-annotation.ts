import type { StateChange } from '../../state-machine/index.js';
import { parseStateAnnotation } from './state-annotation.js';

/**
 * The engine's state history as the bookkeeping annotation keeps it (docs/adr/0012-state-history.md):
 * `{from, to, at, ms, reason?}` with `at` in RFC 3339. Read by the status mappings and by
 * `imageurl report`, so both agree on the format.
 */
export interface PersistedStateChange {
  readonly from: string;
  readonly to: string;
  readonly at: string;
  /** Time spent in `from` before the change, in milliseconds. */
  readonly ms: number;
  readonly reason?: string;
}

export function persistHistory(
  history: readonly StateChange<string>[] | undefined,
): readonly PersistedStateChange[] | undefined {
  return history?.map((change) => ({
    from: change.from,
    to: change.to,
    at: change.at.toISOString(),
    ms: change.durationMs,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
  }));
}

/**
 * The stored history with its times as Dates again; entries that are not well formed are left
 * out (a hand-edited annotation must not break reconciling or the report). `isState` keeps only
 * states the machine knows.
 */
export function reviveHistory<State extends string>(
  stored: unknown,
  isState: (value: unknown) => value is State,
): StateChange<State>[] | undefined {
  if (!Array.isArray(stored)) return undefined;
  return stored.flatMap((entry: unknown) => {
    const change = changeOf(entry, isState);
    return change ? [change] : [];
  });
}

function changeOf<State extends string>(
  entry: unknown,
  isState: (value: unknown) => value is State,
): StateChange<State> | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { from, to, at, ms, reason } = entry as Record<string, unknown>;
  if (!isState(from) || !isState(to) || typeof at !== 'string') return undefined;
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) return undefined;
  const reasonPart = typeof reason === 'string' ? { reason } : {};
  return { from, to, at: time, durationMs: millisecondsOf(ms), ...reasonPart };
}

/** A stored duration; anything but a finite non-negative number counts as 0. */
function millisecondsOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

const anyState = (value: unknown): value is string => typeof value === 'string';

/** The history in a bookkeeping annotation's JSON, any state name accepted (for reading only). */
export function historyOfAnnotation(raw: string | undefined): StateChange<string>[] {
  const state = parseStateAnnotation(raw) as { stateHistory?: unknown };
  return reviveHistory(state.stateHistory, anyState) ?? [];
}
