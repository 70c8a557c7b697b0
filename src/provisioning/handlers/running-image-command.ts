import { isRescueError } from '../../ports/rescue-errors.js';
import type { ImageUrlCommandObservation } from '../../ports/rescue-system.js';
import { conditionFalse } from '../conditions.js';
import { ProvisioningError } from '../errors.js';
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
  const reading = observation.outputJson;
  const message = reading.status === 'message' ? reading.message : '';
  switch (observation.state) {
    case 'running': {
      const reason = { type: 'ServerProvisioned', reason: 'CustomProvisionerRunning' } as const;
      const text = message || 'custom provisioner running';
      return {
        kind: 'continue',
        after: ctx.settings.requeue.commandPollMs,
        changes: { conditions: [conditionFalse(reason, text, 'Info')] },
      };
    }
    case 'succeeded': {
      const reason = { type: 'ServerProvisioned', reason: 'BootingToRealOS' } as const;
      return {
        kind: 'advance',
        to: 'BootingToRealOS',
        after: ctx.settings.requeue.immediateMs,
        message: 'The image-url-command succeeded',
        changes: { conditions: [conditionFalse(reason, 'Operating system of node is booting', 'Info')] },
        command: { outcome: 'succeeded', summary: 'image-url-command succeeded', log: observation.log },
      };
    }
    case 'failed':
      return failed(observation, message);
    case 'not-started':
      throw new ProvisioningError(
        'COMMAND_NOT_STARTED',
        'image-url-command not started on the rescue system, although it was started before',
      );
  }
}

/**
 * CAPH: an unparsable output.json of a failed command is an error (retried until the timeout),
 * not a failure; otherwise its message, or the rescue port's reason, is the failure message.
 */
function failed(observation: ImageUrlCommandObservation, jsonMessage: string): StepResult {
  const reading = observation.outputJson;
  if (reading.status === 'unreadable') {
    throw new ProvisioningError(
      'OUTPUT_JSON_UNREADABLE',
      `failed to parse /root/output.json: ${reading.problem}`,
    );
  }
  const message = jsonMessage || observation.failure?.message || 'custom provisioner failed';
  const exit = observation.exitCode === undefined ? '' : ` (exit code ${observation.exitCode})`;
  return {
    kind: 'failed',
    reason: { type: 'ServerProvisioned', reason: 'CustomProvisionerFailed' },
    message,
    command: {
      outcome: 'failed',
      summary: `image-url-command failed${exit}: ${message}`,
      log: observation.log,
    },
  };
}

function withPin(result: StepResult, pin: string): StepResult {
  const changes: StatusChanges = { ...result.changes, rescueHostKey: pin };
  return { ...result, changes };
}
