import type { CommandReport } from './command-report.js';
import { messageOf } from './errors.js';
import { stopAttemptCommand, type RescueAccess } from './rescue-attempt.js';

/**
 * A command that runs longer than 7 minutes cancels the provisioning. The default of both
 * machines' command timeout (hcloud RunningImageCommand, bare-metal image-installing); the
 * controller's --image-url-command-timeout overrides both.
 */
export const IMAGE_URL_COMMAND_TIMEOUT_MS = 7 * 60_000;

/** Where a timed-out command ran, and the budget to stop it and read its output. */
export type TimedOutAttempt =
  | {
      /** Called inside the report's error handling: an access that cannot be built is reported. */
      readonly access: () => RescueAccess;
      readonly deadlineMs: number;
      readonly graceMs: number;
    }
  /** The command never ran where it could be reached: why. */
  | { readonly unavailable: string };

/**
 * The report of a command whose timeout was decided (the decision never waits for this): stop
 * the command and read its output for the Warning event, within a small budget. The
 * machine fails either way; an unusable rescue system only means the event says why output
 * is missing.
 */
export async function timedOutCommandReport(
  message: string,
  attempt: TimedOutAttempt,
): Promise<CommandReport> {
  const summary = { outcome: 'timed-out', summary: message } as const;
  if ('unavailable' in attempt) return { ...summary, unavailable: attempt.unavailable };
  try {
    const budget = { deadlineMs: attempt.deadlineMs, graceMs: attempt.graceMs };
    return { ...summary, ...(await stopAttemptCommand(attempt.access(), budget)) };
  } catch (error) {
    return { ...summary, unavailable: messageOf(error) };
  }
}
