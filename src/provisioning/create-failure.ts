import { isCloudError, type CloudErrorCode } from '../ports/cloud-errors.js';
import { adoptExistingServer } from './adopt-server.js';
import { conditionFalse, type ConditionChange } from './conditions.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/** Retrying the same create cannot help (CAPH: no requeue). */
const irrecoverable: ReadonlySet<CloudErrorCode> = new Set(['invalid_input', 'resource_unavailable']);
/** An operator must add or fix something (image, type, key, quota, placement): look again later. */
const notPossibleYet: ReadonlySet<CloudErrorCode> = new Set([
  'not_found',
  'resource_limit_exceeded',
  'placement_error',
]);

/**
 * A create call that failed, as CAPH treats it: a taken name → adopt the server when it is this
 * machine's; a request that cannot work → stop (CreationFailedIrrecoverably); something an
 * operator must add → look again later; anything else is thrown (the shared error handling).
 */
export async function createFailed(ctx: StepContext, error: unknown): Promise<StepResult> {
  if (isCloudError(error, 'uniqueness_error')) return adoptExistingServer(ctx);
  if (!isCloudError(error) || !(irrecoverable.has(error.code) || notPossibleYet.has(error.code))) throw error;
  const message = `failed to create server ${ctx.input.name}: ${error.message} (${error.apiCode})${hintOf(ctx, error.code)}`;
  const change: ConditionChange = irrecoverable.has(error.code)
    ? conditionFalse(hcloudReasons.ServerCreated.CreationFailedIrrecoverably, message, 'Error')
    : conditionFalse(hcloudReasons.ServerCreated.CreationFailed, message);
  const events = [{ type: 'Warning', reason: 'FailedCreateHCloudServer', message } as const];
  if (irrecoverable.has(error.code))
    return { kind: 'blocked', message, changes: { conditions: [change] }, events };
  return {
    kind: 'continue',
    after: ctx.settings.requeue.createNotPossibleMs,
    message,
    changes: { conditions: [change] },
    events,
  };
}

/** What an operator can do about a full placement group (10 servers per spread group). */
function hintOf(ctx: StepContext, code: CloudErrorCode): string {
  const group = ctx.input.placementGroup;
  if (code !== 'placement_error' || group === undefined) return '';
  return `; placement group ${JSON.stringify(group.name.slice(0, 63))} (spec.placementGroupName) cannot take another server: a spread group holds at most 10, use another group or remove a server from it`;
}
