import { ReadyCondition } from '../../../api/conditions/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import type { Check } from './checks.js';

export interface PreviousConditions {
  readonly conditions?: readonly Condition[] | undefined;
  readonly v1beta2?: { readonly conditions?: readonly MetaCondition[] | undefined } | undefined;
}

export interface RenderedConditions {
  /** `status.conditions`: Ready first, then by type (as Cluster API sorts them). */
  readonly conditions: Condition[];
  /** `status.v1beta2.conditions`, Ready first. */
  readonly v1beta2: MetaCondition[];
  /** Every gating check is True. */
  readonly ready: boolean;
}

interface Stamp {
  readonly now: string;
  readonly generation: number | undefined;
}

/** CAPI's rule: the transition time moves only when the status changes. */
function since(
  previous: { status: string; lastTransitionTime: string } | undefined,
  status: string,
  stamp: Stamp,
): string {
  return previous?.status === status ? previous.lastTransitionTime : stamp.now;
}

function v1beta1Of(check: Check, previous: readonly Condition[], stamp: Stamp): Condition {
  const old = previous.find((condition) => condition.type === check.type);
  const condition: Condition = {
    type: check.type,
    status: check.status,
    lastTransitionTime: since(old, check.status, stamp),
  };
  if (check.status === 'True') return condition;
  return {
    ...condition,
    ...(check.severity ? { severity: check.severity } : {}),
    ...(check.reason ? { reason: check.reason } : {}),
    ...(check.message ? { message: check.message } : {}),
  };
}

function v1beta2Of(
  check: Check,
  previous: readonly MetaCondition[],
  stamp: Stamp,
): MetaCondition | undefined {
  if (!check.v2) return undefined;
  const old = previous.find((condition) => condition.type === check.v2?.type);
  return {
    type: check.v2.type,
    status: check.v2.status,
    reason: check.v2.reason,
    message: check.status === 'True' ? '' : (check.message ?? ''),
    lastTransitionTime: since(old, check.v2.status, stamp),
    ...(stamp.generation === undefined ? {} : { observedGeneration: stamp.generation }),
  };
}

function blocking(checks: readonly Check[]): Check | undefined {
  return checks.find((check) => check.gatesReady && check.status !== 'True');
}

/** Cluster API's v1beta1 Ready summary: True, or the first failing gating check's status and reason. */
function readyV1beta1(checks: readonly Check[], previous: readonly Condition[], stamp: Stamp): Condition {
  const first = blocking(checks);
  const check: Check = first
    ? { ...first, type: ReadyCondition.v1beta1.type }
    : { type: ReadyCondition.v1beta1.type, status: 'True', gatesReady: true };
  return v1beta1Of(check, previous, stamp);
}

const READY = ReadyCondition.v1beta2;
const READY_REASONS = {
  True: READY.reasons.Ready,
  False: READY.reasons.NotReady,
  Unknown: READY.reasons.ReadyUnknown,
} as const;

/** CAPH's v1beta2 Ready: reasons Ready / NotReady / ReadyUnknown, the first failing check as message. */
function readyV1beta2(
  checks: readonly Check[],
  previous: readonly MetaCondition[],
  stamp: Stamp,
): MetaCondition {
  const first = blocking(checks);
  const status = first?.status ?? 'True';
  return {
    type: READY.type,
    status,
    reason: READY_REASONS[status],
    message: first ? `${first.type}: ${first.message ?? ''}` : '',
    lastTransitionTime: since(
      previous.find((condition) => condition.type === READY.type),
      status,
      stamp,
    ),
    ...(stamp.generation === undefined ? {} : { observedGeneration: stamp.generation }),
  };
}

const byType = (a: { type: string }, b: { type: string }): number => a.type.localeCompare(b.type);

/** Both condition lists and the ready flag, from this reconcile's checks and the stored status. */
export function renderConditions(
  checks: readonly Check[],
  previous: PreviousConditions | undefined,
  stamp: { readonly now: Date; readonly generation?: number },
): RenderedConditions {
  const at: Stamp = { now: stamp.now.toISOString(), generation: stamp.generation };
  const old1 = previous?.conditions ?? [];
  const old2 = previous?.v1beta2?.conditions ?? [];
  const conditions = checks.map((check) => v1beta1Of(check, old1, at)).sort(byType);
  const v1beta2 = checks
    .map((check) => v1beta2Of(check, old2, at))
    .filter((condition): condition is MetaCondition => condition !== undefined)
    .sort(byType);
  return {
    conditions: [readyV1beta1(checks, old1, at), ...conditions],
    v1beta2: [readyV1beta2(checks, old2, at), ...v1beta2],
    ready: blocking(checks) === undefined,
  };
}

/** Gating checks that fail now and did not fail the same way before: each deserves a Warning event. */
export function newFailures(checks: readonly Check[], previous: readonly Condition[] | undefined): Check[] {
  return checks.filter((check) => {
    if (!check.gatesReady || check.status !== 'False') return false;
    const old = previous?.find((condition) => condition.type === check.type);
    return old?.status !== 'False' || old.reason !== check.reason || old.message !== check.message;
  });
}
