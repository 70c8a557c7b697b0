import { isRescueError } from '../../ports/rescue-errors.js';
import type { ImageUrlCommandObservation } from '../../ports/rescue-system.js';
import { judgeCommand } from '../../image-url/command-verdict.js';
import { conditionFalse } from '../conditions.js';
import { hcloudReasons } from '../reasons.js';
import { closeQuietly, openAttemptSession } from '../rescue-connection.js';
import { hostKeyChanged, unexpectedHostname } from '../rescue-failures.js';
import { requireServerId } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StatusChanges, StepResult } from '../step-result.js';

/**
 * RunningImageCommand: watch the command. While it runs, output.json's message becomes the
 * condition message; when it ends, the outcome decides (success → BootingToRealOS, which reboots;
 * failure → terminal). output.json never decides the outcome. The timeout is the dispatcher's.
 */
export async function handleRunningImageCommand(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  let opened;
  try {
    opened = await openAttemptSession(ctx, serverId);
  } catch (error) {
    if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return hostKeyChanged(error);
    throw error;
  }
  if ('hostname' in opened) return unexpectedHostname(opened.hostname);
  const { session, attemptId, repinned } = opened;
  try {
    const observation = await session.observe({ attemptId });
    const result = judge(ctx, observation);
    return repinned === undefined ? result : withPin(result, repinned);
  } finally {
    await closeQuietly(session);
  }
}

function judge(ctx: StepContext, observation: ImageUrlCommandObservation): StepResult {
  const verdict = judgeCommand(observation);
  switch (verdict.kind) {
    case 'running': {
      const reason = hcloudReasons.ServerProvisioned.CustomProvisionerRunning;
      return {
        kind: 'continue',
        after: ctx.settings.requeue.commandPollMs,
        changes: { conditions: [conditionFalse(reason, verdict.message, 'Info')] },
      };
    }
    case 'succeeded': {
      const reason = hcloudReasons.ServerProvisioned.BootingToRealOS;
      return {
        kind: 'advance',
        to: 'BootingToRealOS',
        after: ctx.settings.requeue.immediateMs,
        message: 'The image-url-command succeeded',
        changes: { conditions: [conditionFalse(reason, 'Operating system of node is booting', 'Info')] },
        command: verdict.report,
      };
    }
    case 'failed':
      return {
        kind: 'failed',
        reason: hcloudReasons.ServerProvisioned.CustomProvisionerFailed,
        message: verdict.message,
        command: verdict.report,
      };
  }
}

function withPin(result: StepResult, pin: string): StepResult {
  const changes: StatusChanges = { ...result.changes, rescueHostKey: pin };
  return { ...result, changes };
}
