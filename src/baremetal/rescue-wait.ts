import { isRescueError, type RescueError } from '../ports/rescue-errors.js';
import { messageOf } from '../image-url/errors.js';
import { hostConditionFalse, provisionReasons } from './reasons.js';
import type { HostStepContext, HostStepResult } from './step-context.js';

/**
 * While the server has not come up in the rescue system: escalate a reset that did not take,
 * else look again. The state's timeout ends the wait.
 */
export async function notInRescueYet(
  ctx: HostStepContext,
  why: RescueError | string,
): Promise<HostStepResult> {
  const escalated = await escalateReset(ctx);
  if (escalated) return escalated;
  const refused = isRescueError(why, 'SSH_REFUSED');
  const reason = refused ? provisionReasons.SSHConnectionRefused : provisionReasons.SSHToRescueSystemFailed;
  const message = `waiting for the rescue system: ${typeof why === 'string' ? why : why.message}`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.rescuePollMs,
    message,
    changes: { conditions: [hostConditionFalse(reason, message, 'Info')] },
  };
}

/**
 * Something answered SSH with none of the host keys Robot's activation gave. While the
 * activation is still armed the server has not booted rescue yet, so that is its old system:
 * wait. Once the activation was consumed, the rescue system booted, and whoever answers with a
 * key Robot did not give is not it: fail closed, before authenticating, so nothing is sent.
 */
export async function hostKeyNotFromRobot(ctx: HostStepContext, error: RescueError): Promise<HostStepResult> {
  const rescue = await ctx.robot.getRescue({ serverNumber: ctx.input.serverId });
  if (rescue.active) return notInRescueYet(ctx, `the old system still answers: ${error.message}`);
  return {
    kind: 'failed',
    reason: provisionReasons.RescueHostKeyNotFromRobot,
    message:
      `The server booted the rescue system, but what answers SSH presents none of the host keys ` +
      `Robot gave for this rescue activation (someone in between?); nothing was sent to it: ${messageOf(error)}`,
  };
}

/**
 * A software (or power) reset whose rescue activation is still armed after resetEscalationMs
 * did not boot the server: reset it by hardware, once. An activation that was consumed means
 * the server did boot into rescue, so another reset would only throw that boot away.
 */
async function escalateReset(ctx: HostStepContext): Promise<HostStepResult | undefined> {
  const { status, now } = ctx;
  if (status.lastReboot === 'hw') return undefined;
  const since = status.rebootTriggeredAt ?? status.provisioningStateSince ?? now;
  if (now.getTime() - since.getTime() < ctx.settings.requeue.resetEscalationMs) return undefined;
  const serverNumber = ctx.input.serverId;
  const rescue = await ctx.robot.getRescue({ serverNumber });
  if (!rescue.active) return undefined;
  await ctx.robot.reset({ serverNumber, type: 'hw' });
  const message = `Reset server ${serverNumber} (hw): the ${status.lastReboot ?? 'earlier'} reset did not boot the rescue system`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.rebootWaitMs,
    message,
    changes: {
      rebootTriggeredAt: now,
      lastReboot: 'hw',
      conditions: [hostConditionFalse(provisionReasons.SSHToRescueSystemFailed, message, 'Info')],
    },
    events: [{ type: 'Normal', reason: 'RebootBMServerViaRobot', message }],
  };
}
