import type { CloudServer } from '../ports/cloud-servers.js';
import { ACTION_DONE, type MachineInput } from './machine.js';
import { hcloudReasons } from './reasons.js';
import { ownServerChanges } from './server-observation.js';
import { conditionFalse, conditionTrue } from './conditions.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * A server may be adopted when it carries every label this machine gives its server: it was
 * created for this machine (by us before a restart, or by CAPH). CAPH adopts any server of the
 * same name; we refuse a stranger's, because adopting means wiping its disk.
 */
export function isOwnServer(server: CloudServer, input: MachineInput): boolean {
  return (
    server.name === input.name &&
    Object.entries(input.labels).every(([key, value]) => server.labels[key] === value)
  );
}

/** After `uniqueness_error`: take the existing server over, or wait for an operator. */
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
  const message = `Adopted existing server ${server.name} with ID ${server.id}`;
  return {
    kind: 'advance',
    to: 'Initializing',
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
  const message =
    `a server named ${server.name} (ID ${server.id}) exists but was not created for this machine ` +
    '(its labels differ): delete that server or this Machine';
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
