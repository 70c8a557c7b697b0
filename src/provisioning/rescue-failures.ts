import { isRescueError } from '../ports/rescue-errors.js';
import { conditionFalse, conditionUnknown } from './conditions.js';
import { hostKeyChangedMessage } from '../image-url/rescue-attempt.js';
import { hcloudReasons } from './reasons.js';
import { isNotAnsweringYet } from './rescue-connection.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * While the server boots into rescue: what an SSH failure means. Not answering yet → look again
 * soon; a changed host key → terminal (the pinned rescue boot is gone, or someone is in between);
 * anything else → look again a little later. Errors that are not SSH errors are thrown on.
 */
export function rescueNotReady(ctx: StepContext, error: unknown): StepResult {
  if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return hostKeyChanged(error);
  if (!isRescueError(error)) throw error;
  if (isNotAnsweringYet(error)) {
    const reason = hcloudReasons.ServerProvisioned.RetryingSSHConnection;
    const message = 'the rescue system does not answer SSH yet; retrying';
    return {
      kind: 'continue',
      after: ctx.settings.requeue.sshRefusedMs,
      message,
      changes: { conditions: [conditionFalse(reason, message, 'Info')] },
    };
  }
  const reason = hcloudReasons.ServerProvisioned.GettingHostnameFailed;
  const message = `get hostname failed: ${error.message}`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.sshOtherMs,
    message,
    changes: { conditions: [conditionUnknown(reason, message)] },
  };
}

export function hostKeyChanged(error: unknown): StepResult {
  return {
    kind: 'failed',
    reason: hcloudReasons.ServerProvisioned.RescueHostKeyChanged,
    message: hostKeyChangedMessage(error),
  };
}

/** The `hostname` answer CAPH requires before anything is copied to the server. */
export function unexpectedHostname(hostname: string): StepResult {
  return {
    kind: 'failed',
    reason: hcloudReasons.ServerProvisioned.UnexpectedHostname,
    message: `Remote hostname (via ssh) of hcloud server is ${JSON.stringify(hostname)}. Expected 'rescue'. Deleting hcloud machine`,
  };
}
