import { closeQuietly, openAttempt } from '../../image-url/rescue-attempt.js';
import { startCommand, watchCommand } from '../image-command.js';
import { hostRescueAccess } from '../rescue-access.js';
import { notTheRescueSystem, rescueTrouble } from '../rescue-failures.js';
import { requestOf } from '../request.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * image-installing: on the pinned rescue boot, start the image-url-command once, then watch it
 * until it ends. The timeout (7 min by default) counts from the command's own start and is the
 * engine's; transient SSH failures are retried here without giving up the host's progress.
 */
export async function handleImageInstalling(ctx: HostStepContext): Promise<HostStepResult> {
  const request = requestOf(ctx);
  let opened;
  try {
    opened = await openAttempt(hostRescueAccess(ctx));
  } catch (error) {
    return rescueTrouble(ctx, error);
  }
  if ('hostname' in opened) return notTheRescueSystem(opened.hostname);
  try {
    const observation = await opened.session.observe({ attemptId: opened.attemptId });
    const result =
      observation.state === 'not-started'
        ? await startCommand(ctx, opened, request)
        : watchCommand(ctx, observation);
    if (opened.repinned === undefined) return result;
    return { ...result, changes: { ...result.changes, rescueHostKey: opened.repinned } };
  } catch (error) {
    return rescueTrouble(ctx, error);
  } finally {
    await closeQuietly(opened.session);
  }
}
