import { stopAttemptCommand } from '../../image-url/rescue-attempt.js';
import { hostRescueAccess } from '../rescue-access.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * deprovisioning (the machine released the host, or the host is being deleted): stop a command
 * that may still write the disk, disarm the rescue system, give the Robot server the host's
 * name back, and clear everything the claim left in status, so the next machine starts clean.
 * The host's own facts (addresses, reset types, disks) stay.
 */
export async function handleDeprovisioning(ctx: HostStepContext): Promise<HostStepResult> {
  const serverNumber = ctx.input.serverId;
  const stopped = await stopLeftoverCommand(ctx);
  await ctx.robot.deactivateRescue({ serverNumber });
  await ctx.robot.renameServer({ serverNumber, name: ctx.input.name });
  return {
    kind: 'advance',
    to: '',
    after: ctx.settings.requeue.immediateMs,
    message: stopped ? 'Deprovisioned; stopped the image-url-command' : 'Deprovisioned',
    changes: {
      rebootTriggeredAt: null,
      lastReboot: null,
      imageUrlCommandStartedAt: null,
      rescueHostKey: null,
      rescueHostKeysFromRobot: null,
      osHostKey: null,
      rescueKey: null,
      errorType: null,
      errorMessage: null,
      conditions: null,
    },
  };
}

/** Best effort, bounded: a command on the pinned rescue boot is stopped; an unreachable one is left. */
async function stopLeftoverCommand(ctx: HostStepContext): Promise<boolean> {
  const { status, input } = ctx;
  if (
    status.rescueHostKey === undefined ||
    status.ipv4 === undefined ||
    input.rescueKey.status !== 'available'
  ) {
    return false;
  }
  const stopped = await stopAttemptCommand(hostRescueAccess(ctx), {
    deadlineMs: ctx.settings.stopDeadlineMs,
    graceMs: ctx.settings.stopGraceMs,
  });
  return 'log' in stopped;
}
