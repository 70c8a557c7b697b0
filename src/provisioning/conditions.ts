import type { ConditionReason, ConditionType } from './reasons.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type ConditionSeverity = 'Error' | 'Warning' | 'Info';

/** A condition as the core keeps it; the kube side writes it in both CAPH formats. */
export interface MachineCondition {
  readonly status: ConditionStatus;
  /** A key of `conditionReasons[type]` (map it with `reasonStrings`). */
  readonly reason: string;
  readonly message: string;
  /** For False v1beta1 conditions. */
  readonly severity?: ConditionSeverity;
  /** Changes only when `status` changes (Cluster API's rule). */
  readonly lastTransitionTime: Date;
}

export type MachineConditions = Readonly<Partial<Record<ConditionType, MachineCondition>>>;

/** What a handler wants a condition to say. */
export type ConditionChange = ConditionReason & {
  readonly status: ConditionStatus;
  readonly message: string;
  readonly severity?: ConditionSeverity;
};

/** `reason` set True (CAPH's positive conditions carry an empty message). */
export function conditionTrue(reason: ConditionReason, message = ''): ConditionChange {
  return { ...reason, status: 'True', message };
}

/** `reason` set False; severity Warning unless said otherwise (CAPH's most common choice). */
export function conditionFalse(
  reason: ConditionReason,
  message: string,
  severity: ConditionSeverity = 'Warning',
): ConditionChange {
  return { ...reason, status: 'False', message, severity };
}

export function conditionUnknown(reason: ConditionReason, message: string): ConditionChange {
  return { ...reason, status: 'Unknown', message };
}

/** The conditions after `changes`, stamping `now` only where a status actually changed. */
export function applyConditionChanges(
  conditions: MachineConditions,
  changes: readonly ConditionChange[],
  now: Date,
): MachineConditions {
  const next: Partial<Record<ConditionType, MachineCondition>> = { ...conditions };
  for (const change of changes) {
    const previous = next[change.type];
    const lastTransitionTime =
      previous && previous.status === change.status ? previous.lastTransitionTime : now;
    next[change.type] = {
      status: change.status,
      reason: change.reason,
      message: change.message,
      ...(change.severity && change.status === 'False' ? { severity: change.severity } : {}),
      lastTransitionTime,
    };
  }
  return next;
}
