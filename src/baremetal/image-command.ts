import type { ImageUrlCommandObservation } from '../ports/rescue-system.js';
import { classifyStartFailure, judgeCommand } from '../image-url/command-verdict.js';
import { ProvisioningError, messageOf } from '../image-url/errors.js';
import type { AttemptSession } from '../image-url/rescue-attempt.js';
import type { ProvisioningRequest } from './host.js';
import { hostConditionFalse, provision, provisionReasons, stillProvisioning } from './reasons.js';
import { isDeviceProblem, rootDeviceArgs } from './root-devices.js';
import type { HostStepContext, HostStepResult } from './step-context.js';

/**
 * Uploads and starts the command once per attempt (server + rescue boot) with its four
 * arguments (image URL, bootstrap data file, machine name, root devices), the root devices read
 * from this boot, and OCI_REGISTRY_AUTH_TOKEN. The start time is recorded: the command's
 * timeout counts from it.
 */
export async function startCommand(
  ctx: HostStepContext,
  opened: AttemptSession,
  request: ProvisioningRequest,
): Promise<HostStepResult> {
  const { bootstrapData } = request;
  if (bootstrapData === undefined) {
    throw new ProvisioningError('BOOTSTRAP_DATA_MISSING', 'the bootstrap data secret has no value yet');
  }
  let command;
  try {
    command = await ctx.commands.resolve(request.commandName);
  } catch (error) {
    // CAPH stops without requeue; we look again, so a command added to the folder is picked up.
    const message = messageOf(error);
    const reason = provisionReasons.ImageURLCommandNotAccessible;
    return {
      kind: 'continue',
      after: ctx.settings.requeue.commandMissingMs,
      message,
      changes: { conditions: [hostConditionFalse(reason, message)] },
    };
  }
  const devices = rootDeviceArgs(ctx.input.rootDeviceHints, request, await opened.session.disks());
  if (isDeviceProblem(devices))
    return { kind: 'failed', reason: provision(devices.problem), message: devices.message };
  if (devices.length === 0) {
    const message = 'no disk of this boot matches spec.rootDeviceHints';
    return { kind: 'failed', reason: provisionReasons.NoStorageDeviceFound, message };
  }
  const token = ctx.input.registryToken;
  let started;
  try {
    started = await opened.session.startImageUrlCommand({
      attemptId: opened.attemptId,
      command,
      imageUrl: request.imageUrl,
      bootstrapData,
      machineName: request.hostname,
      rootDevices: devices,
      ...(token === undefined ? {} : { registryToken: token }),
    });
  } catch (error) {
    return startFailed(error);
  }
  return {
    kind: 'continue',
    after: ctx.settings.requeue.afterCommandStartMs,
    message: started.started
      ? 'Started the image-url-command'
      : 'Found the image-url-command already started',
    changes: {
      imageUrlCommandStartedAt: started.observation.startedAt ?? ctx.now,
      conditions: [
        hostConditionFalse(provisionReasons.ImageURLCommandStarted, 'imageURLCommand started', 'Info'),
      ],
    },
  };
}

/** CAPH's reasons: a launcher that failed or a refused start is terminal; a broken link is retried. */
function startFailed(error: unknown): HostStepResult {
  const failure = classifyStartFailure(error);
  if (failure !== 'transient') {
    const message =
      failure === 'launcher-failed'
        ? `StartImageURLCommand failed with non-zero exit status. Deleting machine: ${messageOf(error)}`
        : `StartImageURLCommand failed: ${messageOf(error)}`;
    return { kind: 'failed', reason: provisionReasons.StartImageURLCommandFailed, message };
  }
  const message = `StartImageURLCommand failed (retrying): ${messageOf(error)}`;
  return {
    kind: 'error',
    cause: error,
    message,
    changes: { conditions: [hostConditionFalse(provisionReasons.ImageURLCommandFailedToStart, message)] },
  };
}

/**
 * A started command: while it runs, output.json's message is the condition message; success
 * moves on to the reboot (no Robot call here, so an unavailable Robot cannot turn a finished
 * command into a timeout); failure is fatal (the machine is remediated). output.json never
 * decides the outcome.
 */
export function watchCommand(ctx: HostStepContext, observation: ImageUrlCommandObservation): HostStepResult {
  const verdict = judgeCommand(observation);
  switch (verdict.kind) {
    case 'running':
      return {
        kind: 'continue',
        after: ctx.settings.requeue.commandPollMs,
        changes: {
          ...(ctx.status.imageUrlCommandStartedAt
            ? {}
            : { imageUrlCommandStartedAt: observation.startedAt ?? ctx.now }),
          conditions: [hostConditionFalse(provisionReasons.Provisioning, verdict.message, 'Info')],
        },
      };
    case 'succeeded':
      return {
        kind: 'advance',
        to: 'ensure-provisioned',
        after: ctx.settings.requeue.immediateMs,
        message: 'The image-url-command succeeded',
        changes: { conditions: [stillProvisioning(ctx.input.name, 'ensure-provisioned')] },
        command: verdict.report,
      };
    case 'failed':
      return {
        kind: 'failed',
        reason: provisionReasons.CustomProvisionerFailed,
        message: verdict.message,
        command: verdict.report,
      };
  }
}
