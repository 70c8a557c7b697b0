import type { CommandSource, RescueSession } from '../../ports/rescue-system.js';
import { conditionFalse } from '../conditions.js';
import { ProvisioningError } from '../../image-url/errors.js';
import { commandStartFailed } from '../command-outcome.js';
import { hcloudReasons } from '../reasons.js';
import { attemptIdOf, closeQuietly, connectRescue } from '../rescue-connection.js';
import { rescueNotReady, unexpectedHostname } from '../rescue-failures.js';
import { rescueNotAnsweringYet } from '../rescue-boot-wait.js';
import { requireServerId } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

/**
 * BootingToRescue: wait until the rescue system answers as `rescue`, pin its host key, start the
 * command. The start is idempotent per attempt (server + rescue boot), so a retry or a restart
 * after a start that was not recorded finds the command running instead of starting it again.
 */
export async function handleBootingToRescue(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  const bootstrapData = ctx.input.bootstrapData;
  if (bootstrapData === undefined) {
    throw new ProvisioningError('BOOTSTRAP_DATA_MISSING', 'the bootstrap data secret has no value yet');
  }
  const command = await ctx.commands.resolve(ctx.input.commandName);
  const notYet = rescueNotAnsweringYet(ctx, serverId);
  if (notYet) return notYet;
  let session: RescueSession;
  try {
    session = await connectRescue(ctx);
  } catch (error) {
    return rescueNotReady(ctx, error);
  }
  try {
    const hostname = (await session.hostname()).trim();
    if (hostname !== 'rescue') return unexpectedHostname(hostname);
    return await startCommand(ctx, session, { serverId, command, bootstrapData });
  } catch (error) {
    // Not pinned: the key counts only once the system answered as `rescue`.
    return rescueNotReady(ctx, error);
  } finally {
    await closeQuietly(session);
  }
}

interface StartValues {
  readonly serverId: number;
  readonly command: CommandSource;
  readonly bootstrapData: string | Uint8Array;
}

async function startCommand(
  ctx: StepContext,
  session: RescueSession,
  values: StartValues,
): Promise<StepResult> {
  const pin = session.hostKeyFingerprint;
  const { input } = ctx;
  let started;
  try {
    started = await session.startImageUrlCommand({
      attemptId: attemptIdOf(values.serverId, pin),
      command: values.command,
      imageUrl: input.imageUrl,
      bootstrapData: values.bootstrapData,
      machineName: input.name,
      rootDevices: ctx.settings.rootDevices,
      ...(input.registryToken === undefined ? {} : { registryToken: input.registryToken }),
    });
  } catch (error) {
    return commandStartFailed(error, pin);
  }
  const reason = hcloudReasons.ServerProvisioned.CustomProvisionerRunning;
  return {
    kind: 'advance',
    to: 'RunningImageCommand',
    after: ctx.settings.requeue.afterCommandStartMs,
    message: started.started
      ? 'Started the image-url-command'
      : 'Found the image-url-command already started',
    changes: {
      rescueHostKey: pin,
      conditions: [conditionFalse(reason, 'custom provisioner running', 'Info')],
    },
  };
}
