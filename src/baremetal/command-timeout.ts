import type { CommandReport } from '../provisioning/step-result.js';
import { stopAttemptCommand } from '../provisioning/rescue-attempt.js';
import { messageOf } from '../provisioning/errors.js';
import { hostRescueAccess } from './rescue-access.js';
import type { HostStepContext } from './step-context.js';

/**
 * After the command's timeout was decided: stop the command and read its output for the
 * spec's Warning event, within a small budget (the host is failed either way).
 */
export async function hostTimedOutReport(ctx: HostStepContext, message: string): Promise<CommandReport> {
  const summary = { outcome: 'timed-out', summary: message } as const;
  if (ctx.status.imageUrlCommandStartedAt === undefined) {
    return { ...summary, unavailable: 'the command was never started' };
  }
  try {
    const output = await stopAttemptCommand(hostRescueAccess(ctx), {
      deadlineMs: ctx.settings.stopDeadlineMs,
      graceMs: ctx.settings.stopGraceMs,
    });
    return { ...summary, ...output };
  } catch (error) {
    return { ...summary, unavailable: messageOf(error) };
  }
}
