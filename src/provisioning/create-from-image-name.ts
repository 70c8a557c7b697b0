import { isCloudError } from '../ports/cloud-errors.js';
import type { CloudImage } from '../ports/cloud-servers.js';
import { conditionFalse } from './conditions.js';
import { createFailed } from './create-failure.js';
import { placementOf } from './cluster-placement.js';
import { chooseImage, imageLabelSelector } from './image-name.js';
import { hcloudReasons, type ConditionReason } from './reasons.js';
import { serverCreated } from './server-observation.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/** Hetzner Cloud's limit for `user_data` (docs.hetzner.cloud, "Create a Server"). */
export const MAX_USER_DATA_BYTES = 32 * 1024;

/**
 * CAPH's imageName flow (`createServerFromImageName`): find the image, create the server from it
 * with the bootstrap data as user data and start it; it boots its own OS, so the next state is
 * BootingToRealOS (no rescue, no command). What blocks the create is a condition on the machine
 * and no server is made.
 */
export async function createFromImageName(ctx: StepContext): Promise<StepResult> {
  const { input } = ctx;
  const userData = userDataOf(input.bootstrapData);
  const bytes = Buffer.byteLength(userData);
  if (bytes > MAX_USER_DATA_BYTES) {
    const message =
      `the bootstrap data (Machine spec.bootstrap.dataSecretName, key value) is ${bytes} bytes; ` +
      `Hetzner Cloud accepts at most ${MAX_USER_DATA_BYTES} bytes of user data for spec.imageName servers`;
    const reason = hcloudReasons.ServerCreated.CreationFailedIrrecoverably;
    return { kind: 'blocked', message, changes: { conditions: [conditionFalse(reason, message, 'Error')] } };
  }
  const placement = placementOf(ctx);
  if (!('fields' in placement)) return placement;
  const found = await findImage(ctx);
  if (!('image' in found)) return found;
  let created;
  try {
    created = await ctx.cloud.createServer({
      name: input.name,
      serverType: input.serverType,
      image: found.image.id,
      labels: input.labels,
      sshKeys: input.sshKeys,
      userData,
      startAfterCreate: true,
      ...placement.fields,
    });
  } catch (error) {
    return createFailed(ctx, error);
  }
  const { afterCreateFromImageMs, afterCreateFromSnapshotMs } = ctx.settings.requeue;
  return serverCreated(created, input.sshKeys, {
    to: 'BootingToRealOS',
    // CAPH: a system image is up in seconds, a snapshot takes minutes; fewer calls meanwhile.
    afterMs: found.image.rapidDeploy ? afterCreateFromImageMs : afterCreateFromSnapshotMs,
  });
}

/** The one image `spec.imageName` names for the server type, or the result that says why not. */
async function findImage(ctx: StepContext): Promise<{ readonly image: CloudImage } | StepResult> {
  const imageName = ctx.input.imageName ?? '';
  const serverType = ctx.input.serverType;
  try {
    const byLabel = await ctx.cloud.listImages({ serverType, labelSelector: imageLabelSelector(imageName) });
    const byName = await ctx.cloud.listImages({ serverType, name: imageName });
    const candidates = {
      imageName,
      serverType,
      architecture: byLabel.architecture,
      byLabel: byLabel.images,
      byName: byName.images,
    };
    let choice = chooseImage(candidates);
    if (choice.kind === 'not-found') {
      // One more call, only on the way to an error: say which images there are.
      choice = chooseImage(candidates, (await ctx.cloud.listImages({ serverType })).images);
    }
    if (choice.kind === 'found') return { image: choice.image };
    const { ImageNotFound, ImageAmbiguous } = hcloudReasons.ServerCreated;
    return notPossible(ctx, choice.kind === 'ambiguous' ? ImageAmbiguous : ImageNotFound, choice.message);
  } catch (error) {
    if (!isCloudError(error, 'not_found')) throw error;
    const message = `spec.type ${JSON.stringify(serverType)}: no such server type in Hetzner Cloud (${error.message})`;
    return notPossible(ctx, hcloudReasons.ServerCreated.ServerTypeNotFound, message);
  }
}

/** CAPH's errServerCreateNotPossible: an operator must act; look again later, no server meanwhile. */
function notPossible(ctx: StepContext, reason: ConditionReason, message: string): StepResult {
  const event = reason.reason === 'ImageAmbiguous' ? 'ImageNameAmbiguous' : reason.reason;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.createNotPossibleMs,
    message,
    changes: { conditions: [conditionFalse(reason, message, 'Error')] },
    events: [{ type: 'Warning', reason: event, message }],
  };
}

function userDataOf(bootstrapData: string | Uint8Array | undefined): string {
  if (bootstrapData === undefined) return '';
  return typeof bootstrapData === 'string' ? bootstrapData : Buffer.from(bootstrapData).toString('utf8');
}
