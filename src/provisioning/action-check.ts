import { isCloudError } from '../ports/cloud-errors.js';
import type { CloudAction } from '../ports/cloud-servers.js';
import { conditionFalse, conditionUnknown } from './conditions.js';
import { ProvisioningError, messageOf } from '../image-url/errors.js';
import { ACTION_DONE, type ExternalIDs } from './machine.js';
import type { ConditionReason } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';
import { MIN_GAP_MS, nextLook, nextLookMs } from './look-schedule.js';

/** Per action kind: the reasons and words CAPH uses while waiting for it. */
export interface ActionWords {
  /** The API's command name: whose past durations say when to look first. */
  readonly kind: string;
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
 * How a tracked action's wait ended: `done` when it was seen succeeded (or had been earlier);
 * `pinned` when its progress pinned its end to now, so the call that follows is made instead of
 * one more look (callAfterAction), which saves a request per action.
 */
export type ActionEnd = 'done' | 'pinned';

/**
 * Waits for an action tracked in status.externalIDs: `'done'` at once for ACTION_DONE (-1, it
 * finished earlier), a failure when no id is stored, otherwise a look at the action.
 */
export async function awaitTrackedAction(
  ctx: StepContext,
  actionId: number | undefined,
  words: ActionWords,
): Promise<ActionEnd | StepResult> {
  if (actionId === undefined || actionId === 0) {
    return { kind: 'failed', reason: words.missing, message: words.missingMessage };
  }
  if (actionId === ACTION_DONE) return 'done';
  return checkAction(ctx, actionId, words);
}

const lookKey = (actionId: number): string => `action:${actionId}`;

/**
 * Plans the first look at an action that was just started (its POST answered now) and returns
 * the milliseconds until it: at the earliest end seen for its kind, or soon when none was seen.
 */
export function planFirstLook(ctx: StepContext, actionId: number, kind: string): number {
  const nowMs = ctx.now.getTime();
  const input = { startedMs: nowMs, nowMs, progress: undefined, looks: 0 };
  const afterMs = nextLookMs({ ...input, expected: ctx.waits.expected(kind) });
  ctx.waits.plan(lookKey(actionId), { atMs: nowMs + afterMs, startedMs: nowMs, looks: 0 });
  return afterMs;
}

/**
 * Looks at a tracked action: `'done'` once it succeeded, otherwise the step result (still
 * running → look again when its progress or its kind's past durations say it may be done;
 * failed → terminal; lookup failed → retry). A reconcile before the planned look (our own
 * status write comes back as a watch event) makes no request. Unauthorized and rate-limited
 * lookups are thrown on, for the dispatcher's common handling.
 */
async function checkAction(
  ctx: StepContext,
  actionId: number,
  words: ActionWords,
): Promise<ActionEnd | StepResult> {
  const nowMs = ctx.now.getTime();
  const planned = ctx.waits.plannedLook(lookKey(actionId));
  if (planned !== undefined && planned.atMs > nowMs) return { kind: 'continue', after: planned.atMs - nowMs };
  if (planned?.endPinned === true) return 'pinned';
  const action = await fetchAction(ctx, actionId, words);
  if (!('status' in action)) return action;
  if (action.status === 'running') return stillRunning(ctx, action, words, planned);
  ctx.waits.forget(lookKey(actionId));
  return ended(ctx, action, words);
}

function ended(ctx: StepContext, action: CloudAction, words: ActionWords): 'done' | StepResult {
  if (action.status === 'success') {
    // Whole-second timestamps: it took at least a second less than they say.
    if (action.started && action.finished)
      ctx.waits.learn(words.kind, action.finished.getTime() - action.started.getTime() - 1_000);
    return 'done';
  }
  const detail = action.error ? `${action.error.message} (${action.error.code})` : 'no error given';
  return {
    kind: 'failed',
    reason: words.failed,
    message: `action ${action.id} (${action.command}) failed (${words.failedContext}): ${detail}`,
  };
}

/** GET the action; a failed lookup is the step's error (unauthorized and rate limits are thrown on). */
async function fetchAction(
  ctx: StepContext,
  actionId: number,
  words: ActionWords,
): Promise<CloudAction | StepResult> {
  try {
    return await ctx.cloud.getAction({ actionId });
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
}

/**
 * The API's `started` has whole seconds: the action began within the second after it. The late
 * edge is taken, so progress never makes a look come after the end (at worst one look early).
 * Our own moment of the POST's answer is better, and used when this process made the call.
 */
function startOf(action: CloudAction, nowMs: number): number {
  return action.started === undefined ? nowMs : Math.min(nowMs, action.started.getTime() + 999);
}

/** Plans the next look from the action's start and progress and its kind's past durations. */
function stillRunning(
  ctx: StepContext,
  action: CloudAction,
  words: ActionWords,
  planned: ReturnType<StepContext['waits']['plannedLook']>,
): StepResult {
  const nowMs = ctx.now.getTime();
  const startedMs = planned?.startedMs ?? startOf(action, nowMs);
  const looks = (planned?.looks ?? 0) + 1;
  const expected = ctx.waits.expected(words.kind);
  const { afterMs: after, endPinned } = nextLook({
    startedMs,
    nowMs,
    progress: action.progress,
    expected,
    looks,
  });
  ctx.waits.plan(lookKey(action.id), { atMs: nowMs + after, startedMs, looks, endPinned });
  return {
    kind: 'continue',
    after,
    changes: { conditions: [conditionFalse(words.running, words.runningMessage, 'Info')] },
  };
}

/**
 * Makes the call that follows a tracked action (see unlessLocked). After a `pinned` end the call
 * is the last look: going through, it shows the server no longer locked, so the action ended;
 * `locked`, or any other error, sends the next reconcile to look at the action itself (whose id
 * stays in the status until then).
 */
export async function callAfterAction(
  ctx: StepContext,
  tracked: { readonly end: ActionEnd; readonly actionId: number; readonly words: ActionWords },
  call: () => Promise<unknown>,
  words: LockedWords,
): Promise<StepResult | undefined> {
  if (tracked.end === 'done') return unlessLocked(ctx, call, words);
  const key = lookKey(tracked.actionId);
  const planned = ctx.waits.plannedLook(key);
  const nowMs = ctx.now.getTime();
  try {
    await call();
  } catch (error) {
    ctx.waits.plan(key, { atMs: nowMs, startedMs: planned?.startedMs ?? nowMs, looks: planned?.looks ?? 0 });
    if (!isCloudError(error, 'locked')) throw error;
    const { running, runningMessage } = tracked.words;
    return {
      kind: 'continue',
      after: MIN_GAP_MS,
      changes: { conditions: [conditionFalse(running, runningMessage, 'Info')] },
    };
  }
  ctx.waits.forget(key);
  // Whole seconds, as for a seen end: the pinned late edge is at most PRECISE_MS past the end.
  if (planned !== undefined) ctx.waits.learn(tracked.words.kind, planned.atMs - planned.startedMs - 1_000);
  return undefined;
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
