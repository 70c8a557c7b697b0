import { applyConditionChanges } from './conditions.js';
import type { MachineStatus } from './machine.js';
import type { StatusChanges } from './step-result.js';

/** `status` with a handler's changes applied (bootState is the dispatcher's, not in here). */
export function applyChanges(
  status: MachineStatus,
  changes: StatusChanges | undefined,
  now: Date,
): MachineStatus {
  if (changes === undefined) return status;
  const { externalIDs, conditions, rescueHostKey, leftRescueHostKey, ...plain } = changes;
  const { rescueHostKey: previousPin, leftRescueHostKey: previousLeft, ...rest } = status;
  const pin = changedKey(previousPin, rescueHostKey);
  const left = changedKey(previousLeft, leftRescueHostKey);
  return {
    ...rest,
    ...plain,
    ...(pin === undefined ? {} : { rescueHostKey: pin }),
    ...(left === undefined ? {} : { leftRescueHostKey: left }),
    ...(externalIDs === undefined ? {} : { externalIDs: { ...status.externalIDs, ...externalIDs } }),
    ...(conditions === undefined
      ? {}
      : { conditions: applyConditionChanges(status.conditions ?? {}, conditions, now) }),
  };
}

/** A key field after a change: undefined keeps it, null forgets it. */
function changedKey(previous: string | undefined, change: string | null | undefined): string | undefined {
  return change === undefined ? previous : (change ?? undefined);
}
