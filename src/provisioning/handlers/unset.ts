import { isCloudError, type CloudErrorCode } from '../../ports/cloud-errors.js';
import { adoptExistingServer, adoptRecordedServer } from '../adopt-server.js';
import { conditionFalse, conditionTrue, type ConditionChange } from '../conditions.js';
import { messageOf } from '../../image-url/errors.js';
import { serverIdOf } from '../provider-id.js';
import { hcloudReasons } from '../reasons.js';
import { ownServerChanges } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

/** Retrying the same create cannot help (CAPH: no requeue). */
const irrecoverable: ReadonlySet<CloudErrorCode> = new Set(['invalid_input', 'resource_unavailable']);
/** An operator must add or fix something (image, type, key, quota, placement): look again later. */
const notPossibleYet: ReadonlySet<CloudErrorCode> = new Set([
  'not_found',
  'resource_limit_exceeded',
  'placement_error',
]);

/**
 * `""`: check what the server needs (rescue key, command file), then create the server powered
 * off (or, for a machine created with a providerID, take over the server it names). Before the create call the intent is recorded (`serverRequested`), so a deletion that
 * finds no providerID still knows to look for a server created just before a crash.
 */
export async function handleUnset(ctx: StepContext): Promise<StepResult> {
  const missing = missingRescueKey(ctx);
  if (missing) return missing;
  try {
    await ctx.commands.resolve(ctx.input.commandName);
  } catch (error) {
    // CAPH stops without requeue; we look again, so a command added to the folder is picked up.
    const message = messageOf(error);
    const reason = hcloudReasons.ServerProvisioned.ImageURLCommandNotAccessible;
    return {
      kind: 'continue',
      after: ctx.settings.requeue.commandMissingMs,
      message,
      changes: { conditions: [conditionFalse(reason, message)] },
    };
  }
  const keyAvailable = conditionTrue(hcloudReasons.SSHPrivateKeyAvailable.Available);
  const recorded = serverIdOf(ctx.status.providerID);
  if (recorded !== undefined) return adoptRecordedServer(ctx, recorded);
  if (ctx.status.serverRequested !== true) {
    return {
      kind: 'continue',
      after: ctx.settings.requeue.writeAheadMs,
      message: 'Creating server',
      changes: { serverRequested: true, conditions: [keyAvailable] },
    };
  }
  return createServer(ctx);
}

async function createServer(ctx: StepContext): Promise<StepResult> {
  const { input } = ctx;
  let created;
  try {
    created = await ctx.cloud.createServer({
      name: input.name,
      serverType: input.serverType,
      image: ctx.settings.baseImage,
      labels: input.labels,
      sshKeys: input.sshKeys,
      ...(input.location === undefined ? {} : { location: input.location }),
      ...(input.publicNetwork === undefined ? {} : { publicNetwork: input.publicNetwork }),
    });
  } catch (error) {
    return createFailed(ctx, error);
  }
  const { server, actionId } = created;
  const message = `Created new server ${server.name} with ID ${server.id}`;
  return {
    kind: 'advance',
    to: 'Initializing',
    after: ctx.settings.requeue.afterCreateMs,
    message,
    changes: {
      ...ownServerChanges(server, input.sshKeys, actionId),
      conditions: [
        conditionTrue(hcloudReasons.ServerCreated.Created),
        conditionFalse(
          hcloudReasons.ServerProvisioned.Provisioning,
          'Provisioning and rebooting server',
          'Info',
        ),
      ],
    },
    events: [{ type: 'Normal', reason: 'SuccessfulCreate', message }],
  };
}

async function createFailed(ctx: StepContext, error: unknown): Promise<StepResult> {
  if (isCloudError(error, 'uniqueness_error')) return adoptExistingServer(ctx);
  if (!isCloudError(error) || !(irrecoverable.has(error.code) || notPossibleYet.has(error.code))) throw error;
  const message = `failed to create server ${ctx.input.name}: ${error.message} (${error.apiCode})`;
  const change: ConditionChange = irrecoverable.has(error.code)
    ? conditionFalse(hcloudReasons.ServerCreated.CreationFailedIrrecoverably, message, 'Error')
    : conditionFalse(hcloudReasons.ServerCreated.CreationFailed, message);
  const events = [{ type: 'Warning', reason: 'FailedCreateHCloudServer', message } as const];
  if (irrecoverable.has(error.code))
    return { kind: 'blocked', message, changes: { conditions: [change] }, events };
  return {
    kind: 'continue',
    after: ctx.settings.requeue.createNotPossibleMs,
    message,
    changes: { conditions: [change] },
    events,
  };
}

/**
 * As CAPH (`pkg/services/hcloud/server/server.go`): no server before the key root will log into
 * its rescue system with exists.
 */
function missingRescueKey(ctx: StepContext): StepResult | undefined {
  const key = ctx.input.rescueKey;
  switch (key.status) {
    case 'available':
      return undefined;
    case 'secret-ref-not-configured': {
      const message = 'HetznerCluster.spec.sshKeys.robotRescueSecretRef.name is not set';
      const reason = hcloudReasons.SSHPrivateKeyAvailable.SSHPrivateKeySecretRefNotConfigured;
      return {
        kind: 'blocked',
        message,
        changes: { conditions: [conditionFalse(reason, message, 'Error')] },
      };
    }
    case 'secret-not-found':
    case 'field-empty': {
      const reason =
        key.status === 'secret-not-found'
          ? hcloudReasons.SSHPrivateKeyAvailable.SSHPrivateKeySecretNotFound
          : hcloudReasons.SSHPrivateKeyAvailable.SSHPrivateKeyFieldEmpty;
      return {
        kind: 'continue',
        after: ctx.settings.requeue.secretMissingMs,
        message: key.message,
        changes: { conditions: [conditionFalse(reason, key.message, 'Error')] },
      };
    }
  }
}
