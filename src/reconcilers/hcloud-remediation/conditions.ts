import { HCloudRemediationConditions as C } from '../../../api/conditions/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import type { HCloudRemediationStatus } from '../../../api/v1beta1/index.js';

/** What the conditions of one HCloudRemediation say; every problem carries its message. */
export interface RemediationHealth {
  /** Undefined: the token was read (and not refused). */
  readonly token?: { readonly problem: 'unreachable' | 'invalid'; readonly message: string } | undefined;
  readonly rateLimited?: string | undefined;
  /** Why remediation is skipped (the machine's server creation failed irrecoverably). */
  readonly skipped?: string | undefined;
}

type V1Beta1 = Omit<Condition, 'lastTransitionTime'>;
type V1Beta2 = Omit<MetaCondition, 'lastTransitionTime'>;

function v1beta1Of(health: RemediationHealth): V1Beta1[] {
  const token = C.HCloudTokenAvailable.v1beta1;
  const conditions: V1Beta1[] = [
    health.token === undefined
      ? { type: token.type, status: 'True' }
      : {
          type: token.type,
          status: 'False',
          severity: 'Error',
          reason:
            health.token.problem === 'invalid'
              ? token.reasons.HCloudCredentialsInvalid
              : token.reasons.HetznerSecretUnreachable,
          message: health.token.message,
        },
  ];
  const limit = C.HCloudRateLimitExceeded.v1beta1;
  if (health.rateLimited !== undefined)
    conditions.push({
      type: limit.type,
      status: 'False',
      severity: 'Warning',
      reason: limit.reasons.RateLimitExceeded,
      message: health.rateLimited,
    });
  const skipped = C.RemediationSkipped.v1beta1;
  if (health.skipped !== undefined)
    conditions.push({
      type: skipped.type,
      status: 'False',
      severity: 'Warning',
      reason: skipped.reasons.IrrecoverableServerCreateFailure,
      message: health.skipped,
    });
  const notTrue = conditions.find((condition) => condition.status !== 'True');
  const ready: V1Beta1 = notTrue
    ? { ...notTrue, type: C.Ready.v1beta1.type }
    : { type: C.Ready.v1beta1.type, status: 'True' };
  return [ready, ...conditions];
}

function v1beta2Of(health: RemediationHealth): V1Beta2[] {
  const token = C.HCloudTokenAvailable.v1beta2;
  const conditions: V1Beta2[] = [
    health.token === undefined
      ? { type: token.type, status: 'True', reason: token.reasons.Available, message: '' }
      : {
          type: token.type,
          status: 'False',
          reason:
            health.token.problem === 'invalid' ? token.reasons.Invalid : token.reasons.SecretUnreachable,
          message: health.token.message,
        },
  ];
  const limit = C.HCloudRateLimitExceeded.v1beta2;
  if (health.rateLimited !== undefined)
    conditions.push({
      type: limit.type,
      status: 'True',
      reason: limit.reasons.Exceeded,
      message: health.rateLimited,
    });
  const skipped = C.RemediationSkipped.v1beta2;
  if (health.skipped !== undefined)
    conditions.push({
      type: skipped.type,
      status: 'True',
      reason: skipped.reasons.IrrecoverableServerCreateFailure,
      message: health.skipped,
    });
  // Every condition but the token's has negative polarity (True is the problem).
  const issues = conditions.filter((c) =>
    c.type === token.type ? c.status !== 'True' : c.status === 'True',
  );
  const ready = C.Ready.v1beta2;
  const summary: V1Beta2 =
    issues.length === 0
      ? { type: ready.type, status: 'True', reason: ready.reasons.Ready, message: '' }
      : {
          type: ready.type,
          status: 'False',
          reason: ready.reasons.NotReady,
          message: issues.map((c) => `* ${c.type}: ${c.message}`).join('\n'),
        };
  return [summary, ...conditions];
}

/** `desired` with the transition time of the same condition in `previous` when its status is unchanged. */
function stamped<T extends { type: string; status: string }>(
  desired: readonly T[],
  previous: readonly (T & { lastTransitionTime: string })[],
  now: string,
): (T & { lastTransitionTime: string })[] {
  return desired.map((condition) => {
    const before = previous.find((p) => p.type === condition.type);
    const lastTransitionTime = before?.status === condition.status ? before.lastTransitionTime : now;
    return { ...condition, lastTransitionTime };
  });
}

/** Writes both condition lists of `status` (CAPH's Ready summaries included). */
export function writeConditions(status: HCloudRemediationStatus, health: RemediationHealth, now: Date): void {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  status.conditions = stamped(v1beta1Of(health), status.conditions ?? [], time);
  const conditions = stamped(v1beta2Of(health), status.v1beta2?.conditions ?? [], time) as MetaCondition[];
  status.v1beta2 = { ...status.v1beta2, conditions };
}
