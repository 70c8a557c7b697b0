import type { HostStatus } from './host.js';
import { applyHostConditionChanges } from './reasons.js';
import type { HostStatusChanges } from './step-context.js';

/**
 * `status` with a handler's changes applied: absent stays, null clears, and a cleared field is
 * left out entirely (as CAPH's omitempty fields are). State and since are the engine's.
 */
export function applyHostChanges(
  status: HostStatus,
  changes: HostStatusChanges | undefined,
  now: Date,
): HostStatus {
  if (changes === undefined) return status;
  const { conditions, storage, rescueKey, ...plain } = changes;
  const merged = {
    ...status,
    ...plain,
    ...(storage === undefined ? {} : { hardwareDetails: nested(status.hardwareDetails, { storage }) }),
    ...(rescueKey === undefined ? {} : { sshStatus: nested(status.sshStatus, { rescueKey }) }),
    ...(conditions === undefined
      ? {}
      : {
          conditions:
            conditions === null ? null : applyHostConditionChanges(status.conditions ?? {}, conditions, now),
        }),
  };
  return withoutCleared(merged) as unknown as HostStatus;
}

/** A nested status object with one field set or cleared; null once nothing is left in it. */
function nested(current: object | undefined, change: Record<string, unknown>): object | null {
  const kept = withoutCleared({ ...current, ...change });
  return Object.keys(kept).length === 0 ? null : kept;
}

function withoutCleared(record: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  );
}
