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
import type { ReasonStrings } from '../../state-machine/index.js';
import {
  conditionEntries,
  v1beta1ConditionOf,
  v1beta2ConditionOf,
  withReadySummary,
  withV1beta2ReadySummary,
} from '../shared/condition-writing.js';

/** CAPH writes this one the other way round in v1beta1 (True means the limit was hit). */
const INVERTED: ConditionType = 'HCloudRateLimitExceeded';

function invert(status: MachineCondition['status']): MachineCondition['status'] {
  if (status === 'Unknown') return status;
  return status === 'True' ? 'False' : 'True';
}

function reasonsOf(type: ConditionType, condition: MachineCondition): ReasonStrings {
  return reasonStrings({ type, reason: condition.reason } as ConditionReason);
}

/** `status.conditions` (v1beta1, with the Ready summary), from the core's conditions. */
export function toV1beta1Conditions(conditions: MachineConditions): Condition[] {
  return withReadySummary(
    conditionEntries(conditions).map(([type, condition]) => {
      const status = type === INVERTED ? invert(condition.status) : condition.status;
      return v1beta1ConditionOf(v1beta1Types[type], status, condition, reasonsOf(type, condition).v1beta1);
    }),
  );
}

/** `status.v1beta2.conditions` (metav1.Condition) behind the v1beta2 Ready summary, from the core's conditions. */
export function toV1beta2Conditions(conditions: MachineConditions, generation?: number): MetaCondition[] {
  const written: MetaCondition[] = [];
  for (const [type, condition] of conditionEntries(conditions)) {
    const v2Type = v1beta2Types[type];
    if (v2Type === undefined) continue;
    written.push(v1beta2ConditionOf(v2Type, condition, reasonsOf(type, condition).v1beta2, generation));
  }
  return withV1beta2ReadySummary(written, generation, [v1beta2Types[INVERTED] ?? '']);
}
