import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import {
  hostReasonStrings,
  hostV1beta1Types,
  hostV1beta2Types,
  type HostConditionReason,
  type HostConditions,
  type HostConditionType,
} from '../../baremetal/index.js';
import type { Condition as CoreCondition, ReasonStrings } from '../../state-machine/index.js';
import {
  conditionEntries,
  sortedByType,
  v1beta1ConditionOf,
  v1beta2ConditionOf,
  withReadySummary,
} from '../shared/condition-writing.js';

function reasonsOf(type: HostConditionType, condition: CoreCondition): ReasonStrings {
  return hostReasonStrings({ type, reason: condition.reason } as HostConditionReason);
}

/**
 * `spec.status.conditions` (v1beta1, with the Ready summary the HetznerBareMetalMachine mirrors
 * into HostReady), from the core's conditions.
 */
export function toV1beta1HostConditions(conditions: HostConditions): Condition[] {
  return withReadySummary(
    conditionEntries(conditions).map(([type, condition]) =>
      v1beta1ConditionOf(
        hostV1beta1Types[type],
        condition.status,
        condition,
        reasonsOf(type, condition).v1beta1,
      ),
    ),
  );
}

/**
 * `spec.status.v1beta2.conditions`. No observedGeneration: the host's status lives in its spec,
 * so every status write moves the generation, and recording it would make every write the
 * cause of the next.
 */
export function toV1beta2HostConditions(conditions: HostConditions): MetaCondition[] {
  return sortedByType(
    conditionEntries(conditions).map(([type, condition]) =>
      v1beta2ConditionOf(hostV1beta2Types[type], condition, reasonsOf(type, condition).v1beta2),
    ),
  );
}
