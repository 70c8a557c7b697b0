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

const READY_V2 = ReadyCondition.v1beta2;

/**
 * The written v1beta2 conditions sorted by type, behind Cluster API's v1beta2 Ready (the
 * contract's summary): NotReady listing every condition in trouble (False, or True for the
 * `negative` types such as a rate limit exceeded), ReadyUnknown listing every Unknown one, else
 * Ready. It changes when the others do, so its transition time is theirs.
 */
export function withV1beta2ReadySummary(
  written: MetaCondition[],
  generation: number | undefined,
  negative: readonly string[] = [],
): MetaCondition[] {
  const conditions = sortedByType(written);
  if (conditions.length === 0) return conditions;
  const trouble = (condition: MetaCondition): string =>
    condition.status === 'Unknown'
      ? 'Unknown'
      : (condition.status === 'True') === negative.includes(condition.type)
        ? 'False'
        : 'True';
  const listed = (status: string): string =>
    conditions
      .filter((condition) => trouble(condition) === status)
      .map((condition) => `* ${condition.type}: ${condition.message || condition.reason}`)
      .join('\n');
  const lastTransitionTime =
    conditions
      .map((condition) => condition.lastTransitionTime)
      .sort()
      .at(-1) ?? '';
  const summary = (status: MetaCondition['status'], reason: string, message: string): MetaCondition => ({
    type: READY_V2.type,
    status,
    reason,
    message,
    lastTransitionTime,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  });
  const failing = listed('False');
  const unknown = listed('Unknown');
  const ready = failing
    ? summary('False', READY_V2.reasons.NotReady, failing)
    : unknown
      ? summary('Unknown', READY_V2.reasons.ReadyUnknown, unknown)
      : summary('True', READY_V2.reasons.Ready, '');
  return [ready, ...conditions];
}

/** v1beta2 conditions in the order both kinds write them: by type. */
export function sortedByType(conditions: MetaCondition[]): MetaCondition[] {
  return conditions.sort(byType);
}
