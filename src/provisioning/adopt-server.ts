import type { CloudServer } from '../ports/cloud-servers.js';
import { ACTION_DONE } from './machine.js';
import { hcloudReasons } from './reasons.js';
import { ownServerChanges, serverNotFound } from './server-observation.js';
import { conditionFalse, conditionTrue } from './conditions.js';
import { isOwnServer, NAMESPACE_LABEL, ownershipOf } from './server-ownership.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * After `uniqueness_error`: take the existing server over when it was created for this machine
 * (by us before a restart: every label, the namespace one included), or wait for an operator.
 * CAPH adopts any server of the same name; we refuse a stranger's, because adopting means wiping
 * its disk, and a server without our namespace label may belong to a same-named machine of
 * another namespace.
 */
export async function adoptExistingServer(ctx: StepContext): Promise<StepResult> {
  const server = await ctx.cloud.findServerByName({ name: ctx.input.name });
  if (server === undefined) {
    // The name was taken a moment ago and is free now (deleted meanwhile): create again soon.
    return {
      kind: 'continue',
      after: ctx.settings.requeue.immediateMs,
      message: 'Server name freed; retrying',
    };
  }
  if (!isOwnServer(server, ctx.input)) return notAdoptable(ctx, server);
  return adopted(ctx, server);
}

/**
 * A machine created with a providerID but without a boot state (none in status, none in the
 * annotation): provision the server it names, like one adopted by name. The ownership gate
 * (owned-cloud.ts) refuses a server not created for this machine before anything happens.
 */
export async function adoptRecordedServer(ctx: StepContext, serverId: number): Promise<StepResult> {
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return serverNotFound(serverId);
  return adopted(ctx, server);
}

function adopted(ctx: StepContext, server: CloudServer): StepResult {
  const message = `Adopted existing server ${server.name} with ID ${server.id}`;
  return {
    kind: 'advance',
    // A server from spec.imageName boots its own OS; an image-URL one still needs rescue.
    to: ctx.input.imageName === undefined ? 'Initializing' : 'BootingToRealOS',
    after: ctx.settings.requeue.immediateMs,
    message,
    changes: {
      // An existing server's create action finished long ago (CAPH's adoption does the same).
      ...ownServerChanges(server, ctx.input.sshKeys, ACTION_DONE),
      conditions: [conditionTrue(hcloudReasons.ServerCreated.Created)],
    },
    events: [{ type: 'Normal', reason: 'AdoptedExistingServer', message }],
  };
}

function notAdoptable(ctx: StepContext, server: CloudServer): StepResult {
  const ownership = ownershipOf(server, ctx.input);
  const why = ownership.kind === 'foreign' ? ownership.why : `labels missing: ${NAMESPACE_LABEL}`;
  const message =
    `a server named ${server.name} (ID ${server.id}) exists but was not created for this machine ` +
    `(${why}): delete that server or this Machine`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.notAdoptableMs,
    message,
    changes: {
      conditions: [conditionFalse(hcloudReasons.ServerCreated.CreationFailed, message, 'Error')],
    },
    events: [{ type: 'Warning', reason: 'FailedCreateHCloudServer', message }],
  };
}
