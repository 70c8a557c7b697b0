import { isRescueError } from '../ports/rescue-errors.js';
import type { ImageUrlCommandObservation } from '../ports/rescue-system.js';
import { ProvisioningError } from './errors.js';
import type { CommandReport } from './command-report.js';

/**
 * What an observation of a started command means, the same for every machine: while it runs,
 * output.json's message is the progress; when it ends, the IMAGE_URL_DONE rule (the rescue
 * port's state) decides, never output.json.
 */
export type CommandVerdict =
  | { readonly kind: 'running'; readonly message: string }
  | { readonly kind: 'succeeded'; readonly report: CommandReport }
  | { readonly kind: 'failed'; readonly message: string; readonly report: CommandReport };

/**
 * Judges a command that was started. CAPH: an unparsable output.json of a failed command is an
 * error (retried until the timeout), not a failure; a command the boot does not know although
 * it was started is an error too.
 */
export function judgeCommand(observation: ImageUrlCommandObservation): CommandVerdict {
  const reading = observation.outputJson;
  const message = reading.status === 'message' ? reading.message : '';
  switch (observation.state) {
    case 'running':
      return { kind: 'running', message: message || 'custom provisioner running' };
    case 'succeeded':
      return {
        kind: 'succeeded',
        report: { outcome: 'succeeded', summary: 'image-url-command succeeded', log: observation.log },
      };
    case 'failed':
      return failed(observation, message);
    case 'not-started':
      throw new ProvisioningError(
        'COMMAND_NOT_STARTED',
        'image-url-command not started on the rescue system, although it was started before',
      );
  }
}

function failed(observation: ImageUrlCommandObservation, jsonMessage: string): CommandVerdict {
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
    message,
    report: {
      outcome: 'failed',
      summary: `image-url-command failed${exit}: ${message}`,
      log: observation.log,
    },
  };
}

/**
 * Why a start was refused: the launcher failed (CAPH's non-zero exit), the input or the boot
 * refused this attempt (terminal either way), or the connection broke (retry with the same
 * attempt id: the start is idempotent per attempt, so the command still runs once).
 */
export type StartFailure = 'launcher-failed' | 'rejected' | 'transient';

export function classifyStartFailure(error: unknown): StartFailure {
  if (isRescueError(error, 'RESCUE_REMOTE_FAILED')) return 'launcher-failed';
  if (isRescueError(error, 'RESCUE_INVALID_INPUT') || isRescueError(error, 'RESCUE_ATTEMPT_CONFLICT')) {
    return 'rejected';
  }
  return 'transient';
}
