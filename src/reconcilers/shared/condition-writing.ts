import { ReadyCondition } from '../../../api/conditions/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import type { Condition as CoreCondition, Conditions, ConditionStatus } from '../../state-machine/index.js';

/**
 * Writing the state machines' conditions in CAPH's two formats, shared by the HCloudMachine and
 * HetznerBareMetalHost reconcilers so both follow the same Cluster API rules. What differs per
 * kind (type and reason strings, inverted statuses, observedGeneration) is the caller's.
 */

/** The conditions that are set, with their types. */
export function conditionEntries<T extends string>(conditions: Conditions<T>): [T, CoreCondition][] {
  return Object.entries(conditions).filter((entry): entry is [T, CoreCondition] => Boolean(entry[1]));
}

const READY = ReadyCondition.v1beta1.type;

function iso(condition: CoreCondition): string {
  return new Date(condition.lastTransitionTime).toISOString();
}

function byType(a: { readonly type: string }, b: { readonly type: string }): number {
  return a.type.localeCompare(b.type);
}

/**
 * One v1beta1 condition written as `status`, or undefined when the reason has no v1beta1 string
 * (null). A True condition carries no reason, message or severity, as in Cluster API.
 */
export function v1beta1ConditionOf(
  type: string,
  status: ConditionStatus,
  condition: CoreCondition,
  reason: string | null,
): Condition | undefined {
  if (reason === null) return undefined;
  const written: Condition = { type, status, lastTransitionTime: iso(condition) };
  if (status === 'True') return written;
  return {
    ...written,
    ...(reason ? { reason } : {}),
    ...(condition.message ? { message: condition.message } : {}),
    ...(condition.severity ? { severity: condition.severity } : {}),
  };
}

/** The written v1beta1 conditions sorted by type, behind Cluster API's Ready summary. */
export function withReadySummary(written: readonly (Condition | undefined)[]): Condition[] {
  const conditions = written
    .filter((condition): condition is Condition => condition !== undefined)
    .sort(byType);
  const ready = readySummary(conditions);
  return ready ? [ready, ...conditions] : conditions;
}

/** Ready: True when every other condition is, else a copy of the first that is not. */
function readySummary(conditions: readonly Condition[]): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const notTrue = conditions.find((condition) => condition.status !== 'True');
  if (notTrue) return { ...notTrue, type: READY };
  const latest =
    conditions
      .map((c) => c.lastTransitionTime)
      .sort()
      .at(-1) ?? '';
  return { type: READY, status: 'True', lastTransitionTime: latest };
}

/** One metav1.Condition; observedGeneration only when the caller has one to record. */
export function v1beta2ConditionOf(
  type: string,
  condition: CoreCondition,
  reason: string,
  generation?: number,
): MetaCondition {
  return {
    type,
    status: condition.status,
    lastTransitionTime: iso(condition),
    reason,
    message: condition.message,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
}

/** v1beta2 conditions in the order both kinds write them: by type. */
export function sortedByType(conditions: MetaCondition[]): MetaCondition[] {
  return conditions.sort(byType);
}
