import { messageOf } from './errors.js';
import { serverIdOf } from './provider-id.js';
import { stopAttemptCommand, type StoppedOutput } from './rescue-attempt.js';
import { rescueAccessOf } from './rescue-connection.js';
import type { StepContext } from './step-context.js';
import type { CommandReport } from './step-result.js';

/** The spec: "If the script takes longer than 7 minutes, the controller cancels the provisioning." */
export const IMAGE_URL_COMMAND_TIMEOUT_MS = 7 * 60_000;

/** What a timed-out command left behind: its output, or why it could not be read. */
export type TimedOutOutput = StoppedOutput;

/** The report of a command whose timeout was decided: the timeout message and what it left. */
export async function timedOutCommandReport(ctx: StepContext, message: string): Promise<CommandReport> {
  return { outcome: 'timed-out', summary: message, ...(await collectTimedOutCommand(ctx)) };
}

/**
 * After the command's timeout has been decided (the decision never waits for this): stop the
 * command and read its output for the spec's Warning event, within a small budget. The machine
 * is failed either way; an unusable rescue system only means the event says why output is missing.
 */
export async function collectTimedOutCommand(ctx: StepContext): Promise<TimedOutOutput> {
  const serverId = serverIdOf(ctx.status.providerID);
  if (serverId === undefined || ctx.status.rescueHostKey === undefined) {
    return { unavailable: 'the command was never started on a pinned rescue system' };
  }
  try {
    return await stopAttemptCommand(rescueAccessOf(ctx, serverId), {
      deadlineMs: ctx.settings.timeoutProbeDeadlineMs,
      graceMs: ctx.settings.stopGraceMs,
    });
  } catch (error) {
    return { unavailable: messageOf(error) };
  }
}
