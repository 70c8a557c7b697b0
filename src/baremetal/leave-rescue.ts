import { isRescueError } from '../ports/rescue-errors.js';
import { messageOf } from '../image-url/errors.js';
import { rebootOutOfRescue } from '../image-url/rescue-attempt.js';
import { hostRescueAccess } from './rescue-access.js';
import type { HostStatusChanges, HostStepContext, HostStepResult } from './step-context.js';

/**
 * Leaving rescue ends its boot: its pin and Robot's keys for it are forgotten, and the installed
 * OS that boots next is pinned afresh by its first connection (no key is trusted across systems).
 */
const rescueBootOver: HostStatusChanges = {
  rescueHostKey: null,
  rescueHostKeysFromRobot: null,
  osHostKey: null,
};

/**
 * Names the server in Robot after the machine (CAPH's SetBMServerName, idempotent), then reboots
 * out of the pinned rescue boot into the installed disk (Robot activations are one-shot, so any
 * reboot boots the disk) and forgets the pin. Done as the first step after the success was
 * recorded, so a restart can tell whether it happened. Over SSH when the rescue system answers;
 * when it does not, by a Robot reset (sw, else hw) instead of waiting for it.
 */
export async function leaveRescue(ctx: HostStepContext, hostname: string): Promise<HostStepResult> {
  const { requeue } = ctx.settings;
  await ctx.robot.renameServer({ serverNumber: ctx.input.serverId, name: hostname });
  let left: 'rebooted' | 'gone';
  try {
    left = await rebootOutOfRescue(hostRescueAccess(ctx));
  } catch (error) {
    if (!isRescueError(error)) throw error;
    return resetByRobot(ctx, messageOf(error));
  }
  if (left === 'gone') {
    return {
      kind: 'continue',
      after: requeue.immediateMs,
      message: 'The rescue system is gone',
      changes: { ...rescueBootOver },
    };
  }
  const message =
    'Phase image-installing, reboot via SSH: machine image and cloud-init data got installed (via image-url-command)';
  return {
    kind: 'continue',
    after: requeue.rebootWaitMs,
    message: 'Rebooting into the installed operating system',
    changes: { ...rescueBootOver, rebootTriggeredAt: ctx.now, lastReboot: 'ssh' },
    events: [{ type: 'Normal', reason: 'RebootBMServerViaSSHProvisioningStateImageInstalling', message }],
  };
}

async function resetByRobot(ctx: HostStepContext, why: string): Promise<HostStepResult> {
  const serverNumber = ctx.input.serverId;
  const type = ctx.status.rebootTypes?.includes('sw') === true ? 'sw' : 'hw';
  await ctx.robot.reset({ serverNumber, type });
  const message = `Reset server ${serverNumber} (${type}) into the installed operating system: SSH reboot failed: ${why}`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.rebootWaitMs,
    message,
    changes: { ...rescueBootOver, rebootTriggeredAt: ctx.now, lastReboot: type },
    events: [{ type: 'Normal', reason: 'RebootBMServerViaRobot', message }],
  };
}
