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

function entries(conditions: HostConditions): [HostConditionType, CoreCondition][] {
  return Object.entries(conditions).filter((entry): entry is [HostConditionType, CoreCondition] =>
    Boolean(entry[1]),
  );
}

function reasonsOf(type: HostConditionType, condition: CoreCondition): ReasonStrings {
  return hostReasonStrings({ type, reason: condition.reason } as HostConditionReason);
}

function iso(condition: CoreCondition): string {
  return new Date(condition.lastTransitionTime).toISOString();
}

function v1beta1Of(type: HostConditionType, condition: CoreCondition): Condition | undefined {
  const reason = reasonsOf(type, condition).v1beta1;
  if (reason === null) return undefined;
  const written: Condition = {
    type: hostV1beta1Types[type],
    status: condition.status,
    lastTransitionTime: iso(condition),
  };
  if (condition.status === 'True') return written;
  return {
    ...written,
    ...(reason ? { reason } : {}),
    ...(condition.message ? { message: condition.message } : {}),
    ...(condition.severity ? { severity: condition.severity } : {}),
  };
}

/** Cluster API's Ready summary: True when every other condition is, else the first that is not. */
function readySummary(conditions: readonly Condition[]): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const notTrue = conditions.find((condition) => condition.status !== 'True');
  if (notTrue) return { ...notTrue, type: 'Ready' };
  const latest =
    conditions
      .map((c) => c.lastTransitionTime)
      .sort()
      .at(-1) ?? '';
  return { type: 'Ready', status: 'True', lastTransitionTime: latest };
}

/**
 * `spec.status.conditions` (v1beta1, with the Ready summary the HetznerBareMetalMachine mirrors
 * into HostReady), from the core's conditions.
 */
export function toV1beta1HostConditions(conditions: HostConditions): Condition[] {
  const written = entries(conditions)
    .map(([type, condition]) => v1beta1Of(type, condition))
    .filter((condition): condition is Condition => condition !== undefined)
    .sort((a, b) => a.type.localeCompare(b.type));
  const ready = readySummary(written);
  return ready ? [ready, ...written] : written;
}

/**
 * `spec.status.v1beta2.conditions`. No observedGeneration: the host's status lives in its spec,
 * so every status write moves the generation, and recording it would make every write the
 * cause of the next.
 */
export function toV1beta2HostConditions(conditions: HostConditions): MetaCondition[] {
  return entries(conditions)
    .map(([type, condition]) => ({
      type: hostV1beta2Types[type],
      status: condition.status,
      lastTransitionTime: iso(condition),
      reason: reasonsOf(type, condition).v1beta2,
      message: condition.message,
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
}
