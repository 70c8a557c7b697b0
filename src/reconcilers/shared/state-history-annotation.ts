import type { StateChange } from '../../state-machine/index.js';

/**
 * The engine's state history as the bookkeeping annotation keeps it (docs/adr/0016-state-history.md):
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
  return stored.flatMap((entry: unknown): StateChange<State>[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { from, to, at, ms, reason } = entry as Record<string, unknown>;
    const time = typeof at === 'string' ? new Date(at) : undefined;
    if (!isState(from) || !isState(to) || time === undefined || Number.isNaN(time.getTime())) return [];
    const durationMs = typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : 0;
    return [{ from, to, at: time, durationMs, ...(typeof reason === 'string' ? { reason } : {}) }];
  });
}
