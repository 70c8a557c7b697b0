import type { ImageUrlCommandObservation, StopInput } from '../ports/rescue-system.js';
import { isRescueError } from '../ports/rescue-errors.js';
import { observeCommand } from './observe-command.js';
import { remoteCommands } from './remote-commands.js';
import type { SessionContext } from './session-context.js';
import { encodeStopRequest } from './start-request.js';

export const defaultStopGraceMs = 5_000;

/**
 * SIGTERM to the command's process group, SIGKILL after the grace period, then the state as
 * observed. Only this attempt's command is ever signalled; stopping what is not running is a
 * no-op that still reports the state.
 */
export async function stopCommand(
  context: SessionContext,
  input: StopInput,
): Promise<ImageUrlCommandObservation> {
  const graceMs = input.graceMs ?? defaultStopGraceMs;
  const request = encodeStopRequest(input.attemptId, graceMs);
  const before = await observeCommand(context, input.attemptId);
  if (before.attemptId !== input.attemptId) return before;
  try {
    // Grace, plus up to 5 s for SIGKILL to take effect and 5 s for the exit record.
    await context.runLauncher(remoteCommands.stop, request, graceMs + context.timeouts.commandMs);
  } catch (error) {
    throw context.connection.failure('stopping the image-url-command', error);
  }
  return observeCommand(context, input.attemptId);
}

/**
 * `reboot`, then the session is closed. When the system goes down before the command returns,
 * the connection drops: that is the expected way for a reboot to end, not an error.
 */
export async function rebootSystem(context: SessionContext): Promise<void> {
  const { connection } = context;
  try {
    const result = await connection.exec(remoteCommands.reboot, { timeoutMs: context.timeouts.commandMs });
    if (result.code !== null && result.code !== 0) {
      throw connection.failure('reboot', new Error(`exit code ${result.code}: ${result.stderr.trim()}`));
    }
  } catch (error) {
    if (!isRescueError(error, 'SSH_CONNECTION_LOST')) throw connection.failure('reboot', error);
  } finally {
    await connection.close();
  }
}
