import { rebootOutOfRescue } from '../image-url/rescue-attempt.js';
import { rescueAccessOf } from './rescue-connection.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * Leaves the pinned rescue boot by rebooting it (the rescue flag was one-shot, so the server
 * boots the installed disk), then forgets the pin. Done as the first step of BootingToRealOS,
 * after the success was recorded, so a restart can tell whether it happened: if the pinned
 * system still answers, it was not rebooted yet; if another key answers, the connection is
 * refused or our key is rejected, the rescue boot is over.
 */
export async function leaveRescue(ctx: StepContext): Promise<StepResult> {
  const left = await rebootOutOfRescue(rescueAccessOf(ctx));
  return {
    kind: 'continue',
    after: ctx.settings.requeue.immediateMs,
    message: left === 'gone' ? 'The rescue system is gone' : 'Rebooting into the installed operating system',
    // The left boot's key stays known: the installed OS must answer with another one.
    changes: { rescueHostKey: null, leftRescueHostKey: ctx.status.rescueHostKey ?? null },
  };
}
