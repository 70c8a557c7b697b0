import {
  HetznerBareMetalMachineConditions as C,
  ReadyCondition,
  type ConditionStatus,
} from '../../../api/conditions/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/index.js';

const READY_V1 = ReadyCondition.v1beta1.type;
const { type: READY_V2, reasons: READY_REASONS } = ReadyCondition.v1beta2;

/** A v1beta1 condition to write (lastTransitionTime is decided when it is written). */
export interface V1Change {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason?: string;
  readonly severity?: string;
  readonly message?: string;
}

/** A metav1 condition to write. */
export interface V2Change {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message?: string;
}

/** Cluster API v1beta1 merge priority: False/Error, False/Warning, False/Info, True, Unknown. */
const FALSE_RANK: Readonly<Record<string, number>> = { Error: 0, Warning: 1, Info: 2 };

function rank(condition: Condition): number {
  if (condition.status === 'False') return FALSE_RANK[condition.severity ?? ''] ?? 2;
  return condition.status === 'True' ? 3 : 4;
}

/**
 * Cluster API v1beta1's Ready summary: the status of the highest-priority group; when not True,
 * the reason, severity and message of its first condition. Undefined when there is nothing yet.
 */
export function summarizeV1beta1(conditions: readonly Condition[]): V1Change | undefined {
  const top = [...conditions].sort((a, b) => rank(a) - rank(b) || a.type.localeCompare(b.type))[0];
  if (!top) return undefined;
  if (top.status === 'True') return { type: READY_V1, status: 'True' };
  return {
    type: READY_V1,
    status: top.status === 'Unknown' ? 'Unknown' : 'False',
    ...(top.reason ? { reason: top.reason } : {}),
    ...(top.severity ? { severity: top.severity } : {}),
    ...(top.message ? { message: top.message } : {}),
  };
}

/** CAPH's summary order for the v1beta2 Ready; Deleting has negative polarity. */
const V1BETA2_ORDER: readonly string[] = [C.HostAssociated, C.Deleting, C.HostReady, C.ServerAvailable].map(
  (condition) => condition.v1beta2.type,
);

function hasIssue(condition: MetaCondition): boolean {
  return condition.type === C.Deleting.v1beta2.type
    ? condition.status === 'True'
    : condition.status === 'False';
}

/** CAPH's v1beta2 Ready: NotReady listing every issue in priority order, ReadyUnknown, or Ready. */
export function summarizeV1beta2(conditions: readonly MetaCondition[]): V2Change {
  const ordered = V1BETA2_ORDER.flatMap((type) => conditions.filter((condition) => condition.type === type));
  const issues = ordered.filter(hasIssue);
  if (issues.length > 0) {
    const message = issues.map((issue) => `* ${issue.type}: ${issue.message || issue.reason}`).join('\n');
    return { type: READY_V2, status: 'False', reason: READY_REASONS.NotReady, message };
  }
  const unknown = ordered.filter((condition) => condition.status === 'Unknown');
  if (unknown.length > 0) {
    const message = unknown
      .map((condition) => `* ${condition.type}: ${condition.message || 'unknown'}`)
      .join('\n');
    return { type: READY_V2, status: 'Unknown', reason: READY_REASONS.ReadyUnknown, message };
  }
  return { type: READY_V2, status: 'True', reason: READY_REASONS.Ready };
}
