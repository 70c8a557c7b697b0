import { isCloudError } from '../ports/cloud-errors.js';
import { conditionFalse, conditionUnknown } from './conditions.js';
import { ProvisioningError, messageOf } from '../image-url/errors.js';
import { ACTION_DONE, type ExternalIDs } from './machine.js';
import type { ConditionReason } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/** Per action kind: the reasons and words CAPH uses while waiting for it. */
export interface ActionWords {
  /** The status has no id for the action (lost or edited): terminal, as in CAPH. */
  readonly missing: ConditionReason;
  readonly missingMessage: string;
  readonly running: ConditionReason;
  readonly runningMessage: string;
  readonly failed: ConditionReason;
  /** CAPH: "wait for server create". */
  readonly failedContext: string;
  readonly lookupFailed: ConditionReason;
}

/**
 * Waits for an action tracked in status.externalIDs: `'done'` at once for ACTION_DONE (-1, it
 * finished earlier), a failure when no id is stored, otherwise a look at the action.
 */
export async function awaitTrackedAction(
  ctx: StepContext,
  actionId: number | undefined,
  words: ActionWords,
): Promise<'done' | StepResult> {
  if (actionId === undefined || actionId === 0) {
    return { kind: 'failed', reason: words.missing, message: words.missingMessage };
  }
  if (actionId === ACTION_DONE) return 'done';
  return checkAction(ctx, actionId, words);
}

/**
 * Looks at a tracked action: `'done'` once it succeeded, otherwise the step result (still
 * running → poll; failed → terminal; lookup failed → retry). Unauthorized and rate-limited
 * lookups are thrown on, for the dispatcher's common handling.
 */
async function checkAction(
  ctx: StepContext,
  actionId: number,
  words: ActionWords,
): Promise<'done' | StepResult> {
  let action;
  try {
    action = await ctx.cloud.getAction({ actionId });
  } catch (error) {
    if (isCloudError(error, 'not_found')) {
      throw new ProvisioningError('ACTION_NOT_FOUND', `hcloud action ${actionId} not found`, {
        cause: error,
      });
    }
    if (isCloudError(error, 'unauthorized') || isCloudError(error, 'rate_limit_exceeded')) throw error;
    const message = `GetAction failed: ${messageOf(error)}`;
    return {
      kind: 'error',
      cause: new ProvisioningError('CLOUD_CALL_FAILED', message, { cause: error }),
      changes: { conditions: [conditionUnknown(words.lookupFailed, message)] },
    };
  }
  if (action.status === 'success') return 'done';
  if (action.status === 'running') {
    return {
      kind: 'continue',
      after: ctx.settings.requeue.actionPollMs,
      changes: { conditions: [conditionFalse(words.running, words.runningMessage, 'Info')] },
    };
  }
  const detail = action.error ? `${action.error.message} (${action.error.code})` : 'no error given';
  return {
    kind: 'failed',
    reason: words.failed,
    message: `action ${action.id} (${action.command}) failed (${words.failedContext}): ${detail}`,
  };
}

/** What to say while a call keeps meeting a `locked` server. */
export interface LockedWords {
  readonly reason: ConditionReason;
  /** CAPH: "<Call>: server locked. Will retry". */
  readonly message: string;
  /** Progress already made in this call, kept while waiting. */
  readonly externalIDs: ExternalIDs;
}

/**
 * Runs a call on the server; `locked` (another action runs on it) means "look again in
 * lockedMs" with an Info condition, as CAPH does. Resolves undefined when the call went through.
 */
export async function unlessLocked(
  ctx: StepContext,
  call: () => Promise<unknown>,
  words: LockedWords,
): Promise<StepResult | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (!isCloudError(error, 'locked')) throw error;
    return {
      kind: 'continue',
      after: ctx.settings.requeue.lockedMs,
      message: words.message,
      changes: {
        externalIDs: words.externalIDs,
        conditions: [conditionFalse(words.reason, words.message, 'Info')],
      },
    };
  }
}
