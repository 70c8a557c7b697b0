import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import {
  reasonStrings,
  v1beta1Types,
  v1beta2Types,
  type ConditionReason,
  type ConditionType,
  type MachineCondition,
  type MachineConditions,
} from '../../provisioning/index.js';

const INVERTED: ConditionType = 'HCloudRateLimitExceeded';

function invert(status: MachineCondition['status']): MachineCondition['status'] {
  if (status === 'Unknown') return status;
  return status === 'True' ? 'False' : 'True';
}

function entries(conditions: MachineConditions): [ConditionType, MachineCondition][] {
  return Object.entries(conditions).filter((entry): entry is [ConditionType, MachineCondition] =>
    Boolean(entry[1]),
  );
}

function v1beta1Of(type: ConditionType, condition: MachineCondition): Condition | undefined {
  const reason = reasonStrings({ type, reason: condition.reason } as ConditionReason).v1beta1;
  if (reason === null) return undefined;
  const status = type === INVERTED ? invert(condition.status) : condition.status;
  const written: Condition = { type: v1beta1Types[type], status, lastTransitionTime: iso(condition) };
  if (status === 'True') return written;
  return {
    ...written,
    ...(reason ? { reason } : {}),
    ...(condition.message ? { message: condition.message } : {}),
    ...(condition.severity ? { severity: condition.severity } : {}),
  };
}

function iso(condition: MachineCondition): string {
  return new Date(condition.lastTransitionTime).toISOString();
}

/** Cluster API's Ready summary: True when every other condition is, else the first False one. */
function readySummary(conditions: readonly Condition[]): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const notTrue = conditions.find((condition) => condition.status !== 'True');
  const latest =
    conditions
      .map((c) => c.lastTransitionTime)
      .sort()
      .at(-1) ?? new Date().toISOString();
  if (!notTrue) return { type: 'Ready', status: 'True', lastTransitionTime: latest };
  return { ...notTrue, type: 'Ready' };
}

/** `status.conditions` (v1beta1, with the Ready summary), from the core's conditions. */
export function toV1beta1Conditions(conditions: MachineConditions): Condition[] {
  const written = entries(conditions)
    .map(([type, condition]) => v1beta1Of(type, condition))
    .filter((condition): condition is Condition => condition !== undefined)
    .sort((a, b) => a.type.localeCompare(b.type));
  const ready = readySummary(written);
  return ready ? [ready, ...written] : written;
}

/** `status.v1beta2.conditions` (metav1.Condition), from the core's conditions. */
export function toV1beta2Conditions(conditions: MachineConditions, generation?: number): MetaCondition[] {
  const written: MetaCondition[] = [];
  for (const [type, condition] of entries(conditions)) {
    const v2Type = v1beta2Types[type];
    if (v2Type === undefined) continue;
    const reason = reasonStrings({ type, reason: condition.reason } as ConditionReason).v1beta2;
    written.push({
      type: v2Type,
      status: condition.status,
      lastTransitionTime: iso(condition),
      reason,
      message: condition.message,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    });
  }
  return written.sort((a, b) => a.type.localeCompare(b.type));
}
