import type { CommandReport } from '../image-url/command-report.js';
import { timedOutCommandReport } from '../image-url/command-timeout.js';
import { hostRescueAccess } from './rescue-access.js';
import type { HostStepContext } from './step-context.js';

/** image-installing's timeout report: the command stopped on the pinned rescue boot, its output. */
export async function hostTimedOutReport(ctx: HostStepContext, message: string): Promise<CommandReport> {
  if (ctx.status.imageUrlCommandStartedAt === undefined) {
    return timedOutCommandReport(message, { unavailable: 'the command was never started' });
  }
  return timedOutCommandReport(message, {
    access: () => hostRescueAccess(ctx),
    deadlineMs: ctx.settings.stopDeadlineMs,
    graceMs: ctx.settings.stopGraceMs,
  });
}
