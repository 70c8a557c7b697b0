import type { CommandReport } from '../image-url/command-report.js';
import { timedOutCommandReport } from '../image-url/command-timeout.js';
import { serverIdOf } from './provider-id.js';
import { rescueAccessOf } from './rescue-connection.js';
import type { StepContext } from './step-context.js';

/** RunningImageCommand's timeout report: the command stopped on the pinned rescue boot, its output. */
export async function hcloudTimedOutReport(ctx: StepContext, message: string): Promise<CommandReport> {
  const serverId = serverIdOf(ctx.status.providerID);
  if (serverId === undefined || ctx.status.rescueHostKey === undefined) {
    return timedOutCommandReport(message, {
      unavailable: 'the command was never started on a pinned rescue system',
    });
  }
  return timedOutCommandReport(message, {
    access: () => rescueAccessOf(ctx, serverId),
    deadlineMs: ctx.settings.timeoutProbeDeadlineMs,
    graceMs: ctx.settings.stopGraceMs,
  });
}
