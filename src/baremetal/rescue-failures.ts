import { isRescueError } from '../ports/rescue-errors.js';
import { hostKeyChangedMessage } from '../image-url/rescue-attempt.js';
import { hostConditionUnknown, provisionReasons } from './reasons.js';
import type { HostStepContext, HostStepResult } from './step-context.js';

/**
 * An SSH failure while the command runs or is about to start. A changed host key is terminal
 * (the pinned rescue boot is gone, or someone is in between); anything else is transient and is
 * retried in place: the command keeps running in the rescue system and the host keeps its
 * progress (CAPH sends the host back to preparing, i.e. a full re-provision). The command's
 * timeout still ends a rescue system that never answers again. Other errors are thrown on.
 */
export function rescueTrouble(ctx: HostStepContext, error: unknown): HostStepResult {
  if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return hostKeyChanged(error);
  if (!isRescueError(error)) throw error;
  const message = `rescue system not reachable (retrying; the command keeps running): ${error.message}`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.sshRetryMs,
    message,
    changes: { conditions: [hostConditionUnknown(provisionReasons.SSHToRescueSystemFailed, message)] },
  };
}

export function hostKeyChanged(error: unknown): HostStepResult {
  return {
    kind: 'failed',
    reason: provisionReasons.RescueHostKeyChanged,
    message: hostKeyChangedMessage(error),
  };
}

/** The pinned boot was lost from status and what answers now is not the rescue system (CAPH: permanent). */
export function notTheRescueSystem(hostname: string): HostStepResult {
  return {
    kind: 'failed',
    reason: provisionReasons.SSHToRescueSystemFailed,
    message: `expected the rescue system, but the server answers as ${JSON.stringify(hostname)}`,
  };
}
