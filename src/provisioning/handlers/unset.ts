import { planFirstLook } from '../action-check.js';
import { adoptRecordedServer } from '../adopt-server.js';
import { conditionFalse, conditionTrue } from '../conditions.js';
import { createFailed } from '../create-failure.js';
import { createFromImageName } from '../create-from-image-name.js';
import { placementOf } from '../cluster-placement.js';
import { messageOf } from '../../image-url/errors.js';
import { serverIdOf } from '../provider-id.js';
import { hcloudReasons } from '../reasons.js';
import { serverCreated } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

/**
 * `""`: for `imageURL`, check what the rescue flow needs (rescue key, command file) and create the
 * server powered off; for `imageName`, create it from that image with the bootstrap data as user
 * data, started (create-from-image-name.ts). A machine created with a providerID takes over the
 * server it names instead. Before the create call the intent is recorded (`serverRequested`), so
 * a deletion that finds no providerID still knows to look for a server created just before a crash.
 */
export async function handleUnset(ctx: StepContext): Promise<StepResult> {
  const fromImageName = ctx.input.imageName !== undefined;
  const missing = fromImageName ? undefined : await missingForImageUrl(ctx);
  if (missing) return missing;
  const recorded = serverIdOf(ctx.status.providerID);
  if (recorded !== undefined) return adoptRecordedServer(ctx, recorded);
  if (ctx.status.serverRequested !== true) {
    // The rescue key was checked above only for the image-URL flow.
    const keyAvailable = fromImageName ? [] : [conditionTrue(hcloudReasons.SSHPrivateKeyAvailable.Available)];
    return {
      kind: 'continue',
      after: ctx.settings.requeue.writeAheadMs,
      message: 'Creating server',
      changes: { serverRequested: true, conditions: keyAvailable },
    };
  }
  return fromImageName ? createFromImageName(ctx) : createServer(ctx);
}

/** The rescue key and the command file: without them no image-URL server is created. */
async function missingForImageUrl(ctx: StepContext): Promise<StepResult | undefined> {
  const missing = missingRescueKey(ctx);
  if (missing) return missing;
  try {
    await ctx.commands.resolve(ctx.input.commandName);
    return undefined;
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
}

async function createServer(ctx: StepContext): Promise<StepResult> {
  const { input } = ctx;
  const placement = placementOf(ctx);
  if (!('fields' in placement)) return placement;
  let created;
  try {
    created = await ctx.cloud.createServer({
      name: input.name,
      serverType: input.serverType,
      image: ctx.settings.baseImage,
      labels: input.labels,
      sshKeys: input.sshKeys,
      ...placement.fields,
    });
  } catch (error) {
    return createFailed(ctx, error);
  }
  return serverCreated(created, input.sshKeys, {
    to: 'Initializing',
    afterMs: planFirstLook(ctx, created.actionId, 'create_server'),
  });
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
