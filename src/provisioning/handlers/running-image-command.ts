import { isRescueError } from '../../ports/rescue-errors.js';
import { commandObserved } from '../command-outcome.js';
import { closeQuietly, openAttemptSession } from '../rescue-connection.js';
import { hostKeyChanged, unexpectedHostname } from '../rescue-failures.js';
import { requireServerId } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StatusChanges, StepResult } from '../step-result.js';

/**
 * RunningImageCommand: watch the command. While it runs, output.json's message becomes the
 * condition message; when it ends, the outcome decides (success → BootingToRealOS, which reboots;
 * failure → terminal). output.json never decides the outcome. The timeout is the dispatcher's.
 */
export async function handleRunningImageCommand(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  let opened;
  try {
    opened = await openAttemptSession(ctx, serverId);
  } catch (error) {
    if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return hostKeyChanged(error);
    throw error;
  }
  if ('hostname' in opened) return unexpectedHostname(opened.hostname);
  const { session, attemptId, repinned } = opened;
  try {
    const observation = await session.observe({ attemptId });
    const result = commandObserved(observation, ctx.settings.requeue);
    return repinned === undefined ? result : withPin(result, repinned);
  } finally {
    await closeQuietly(session);
  }
}

function withPin(result: StepResult, pin: string): StepResult {
  const changes: StatusChanges = { ...result.changes, rescueHostKey: pin };
  return { ...result, changes };
}
