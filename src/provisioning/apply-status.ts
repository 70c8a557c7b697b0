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
  const { externalIDs, conditions, rescueHostKey, ...plain } = changes;
  const { rescueHostKey: previousPin, ...rest } = status;
  const pin = rescueHostKey === undefined ? previousPin : (rescueHostKey ?? undefined);
  return {
    ...rest,
    ...plain,
    ...(pin === undefined ? {} : { rescueHostKey: pin }),
    ...(externalIDs === undefined ? {} : { externalIDs: { ...status.externalIDs, ...externalIDs } }),
    ...(conditions === undefined
      ? {}
      : { conditions: applyConditionChanges(status.conditions ?? {}, conditions, now) }),
  };
}
