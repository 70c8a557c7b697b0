import type { ImageUrlCommandObservation } from '../ports/rescue-system.js';
import { classifyStartFailure, judgeCommand } from '../image-url/command-verdict.js';
import { messageOf } from '../image-url/errors.js';
import { conditionFalse } from './conditions.js';
import { hcloudReasons } from './reasons.js';
import type { RequeueSettings } from './settings.js';
import type { StepResult } from './step-result.js';

/**
 * What the hcloud machine makes of its image-url-command: of a refused start and of each
 * observation of a started one. The handlers (BootingToRescue, RunningImageCommand) return
 * these, and `imageurl try-command` reports them, so both give the same reasons and messages.
 */

/**
 * A rejected start is terminal (bad input, another attempt on this boot, the launcher failed:
 * CAPH's non-zero exit); a broken connection is retried with the same attempt id.
 */
export function commandStartFailed(error: unknown, pin: string): StepResult {
  switch (classifyStartFailure(error)) {
    case 'launcher-failed':
      return {
        kind: 'failed',
        reason: hcloudReasons.ServerProvisioned.StartImageURLCommandNonZeroExitCode,
        message: `StartImageURLCommand failed with non-zero exit status. Deleting machine: ${messageOf(error)}`,
      };
    case 'rejected':
      return {
        kind: 'failed',
        reason: hcloudReasons.ServerProvisioned.StartImageURLCommandFailed,
        message: `StartImageURLCommand failed: ${messageOf(error)}`,
      };
    case 'transient': {
      const reason = hcloudReasons.ServerProvisioned.StartImageURLCommandFailed;
      const message = `StartImageURLCommand failed (retrying): ${messageOf(error)}`;
      return {
        kind: 'error',
        cause: error,
        message,
        changes: { rescueHostKey: pin, conditions: [conditionFalse(reason, message)] },
      };
    }
  }
}

/**
 * A started command, observed: still running (output.json's message is the condition's),
 * succeeded (→ BootingToRealOS, which reboots) or failed (terminal). The IMAGE_URL_DONE rule
 * decides, never output.json; an unreadable output.json of a failed command is thrown (an
 * error, retried until the state's timeout), as CAPH does.
 */
export function commandObserved(
  observation: ImageUrlCommandObservation,
  requeue: Pick<RequeueSettings, 'commandPollMs' | 'immediateMs'>,
): StepResult {
  const verdict = judgeCommand(observation);
  switch (verdict.kind) {
    case 'running': {
      const reason = hcloudReasons.ServerProvisioned.CustomProvisionerRunning;
      return {
        kind: 'continue',
        after: requeue.commandPollMs,
        changes: { conditions: [conditionFalse(reason, verdict.message, 'Info')] },
      };
    }
    case 'succeeded': {
      const reason = hcloudReasons.ServerProvisioned.BootingToRealOS;
      return {
        kind: 'advance',
        to: 'BootingToRealOS',
        after: requeue.immediateMs,
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
