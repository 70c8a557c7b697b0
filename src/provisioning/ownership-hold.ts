import type { BootState } from './boot-state.js';
import { conditionFalse, conditionUnknown } from './conditions.js';
import { serverIdOf } from './provider-id.js';
import { hcloudReasons } from './reasons.js';
import { observedChanges, serverNotFound } from './server-observation.js';
import type { ServerNotOwnedError } from './server-ownership.js';
import type { ProvisioningSettings } from './settings.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * A machine whose server is not its own is held, not failed: the providerID may be wrong by
 * mistake, and an admin may re-create the HCloudMachine or give the server the machine's labels.
 * It looks again after `notAdoptableMs`; nothing is ever called on the server meanwhile.
 */
export function notOwnedResult(error: ServerNotOwnedError, settings: ProvisioningSettings): StepResult {
  const message =
    `${error.message}: nothing is done with it. Re-create this HCloudMachine with the providerID ` +
    'of its own server, or give the server the labels of this machine';
  const reason = hcloudReasons.ServerAvailable.ServerNotOwned;
  return {
    kind: 'continue',
    after: settings.requeue.notAdoptableMs,
    message,
    changes: { conditions: [conditionFalse(reason, message, 'Error')] },
    events: [{ type: 'Warning', reason: 'ServerNotOwned', message }],
  };
}

function wasHeld(ctx: StepContext): boolean {
  return (
    ctx.status.conditions?.ServerAvailable?.reason === hcloudReasons.ServerAvailable.ServerNotOwned.reason
  );
}

/**
 * Checked before the state's clock runs, so neither case times out:
 * - a machine held because its server was not its own looks at the server again;
 * - a machine whose status is gone while its boot state is not (`clusterctl move` re-creates
 *   objects without status; the state comes back from the annotation) looks at its server once,
 *   which checks whose it is and brings back its addresses and state before anything else.
 * The look goes through the ownership gate (ctx.cloud), which throws ServerNotOwnedError for a
 * stranger's server; the caller turns that into notOwnedResult.
 */
export async function ownershipHold(ctx: StepContext, state: BootState): Promise<StepResult | undefined> {
  const serverId = serverIdOf(ctx.status.providerID);
  if (serverId === undefined || state === 'ProvisioningFailed') return undefined;
  const held = wasHeld(ctx);
  if (!held && (state === '' || ctx.status.instanceState !== undefined)) return undefined;
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return state === '' ? undefined : serverNotFound(serverId);
  const verified = conditionUnknown(
    hcloudReasons.ServerAvailable.ServerOwnershipVerified,
    `server ${serverId} carries this machine's name and labels`,
  );
  return {
    kind: 'continue',
    after: ctx.settings.requeue.immediateMs,
    message: `Server ${serverId} is this machine's; going on`,
    changes: { ...observedChanges(server), ...(held ? { conditions: [verified] } : {}) },
  };
}
