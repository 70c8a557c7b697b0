import { isRescueError } from '../ports/rescue-errors.js';
import { closeQuietly, connectRescue } from './rescue-connection.js';
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
  const after = ctx.settings.requeue.immediateMs;
  let session;
  try {
    session = await connectRescue(ctx);
  } catch (error) {
    if (isRescueBootOver(error)) {
      return {
        kind: 'continue',
        after,
        message: 'The rescue system is gone',
        changes: { rescueHostKey: null },
      };
    }
    throw error;
  }
  try {
    await session.reboot();
  } finally {
    await closeQuietly(session);
  }
  return {
    kind: 'continue',
    after,
    message: 'Rebooting into the installed operating system',
    changes: { rescueHostKey: null },
  };
}

function isRescueBootOver(error: unknown): boolean {
  return (
    isRescueError(error, 'SSH_HOST_KEY_MISMATCH') ||
    isRescueError(error, 'SSH_REFUSED') ||
    isRescueError(error, 'SSH_AUTH_FAILED')
  );
}
