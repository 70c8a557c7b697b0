import type { CommandLogTail } from '../ports/rescue-system.js';
import { messageOf } from './errors.js';
import { closeQuietly, openAttemptSession } from './rescue-connection.js';
import { serverIdOf } from './provider-id.js';
import type { StepContext } from './step-context.js';

/** What a timed-out command left behind: its output, or why it could not be read. */
export type TimedOutOutput = { readonly log: CommandLogTail } | { readonly unavailable: string };

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
    const opened = await openAttemptSession(ctx, serverId, {
      deadlineMs: ctx.settings.timeoutProbeDeadlineMs,
    });
    if ('hostname' in opened)
      return { unavailable: `the server answers as ${JSON.stringify(opened.hostname)}` };
    try {
      const stopped = await opened.session.stop({
        attemptId: opened.attemptId,
        graceMs: ctx.settings.stopGraceMs,
      });
      return { log: stopped.log };
    } finally {
      await closeQuietly(opened.session);
    }
  } catch (error) {
    return { unavailable: messageOf(error) };
  }
}
