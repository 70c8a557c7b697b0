import { isCloudError } from '../ports/cloud-errors.js';
import type { CloudServer, CreatedServer } from '../ports/cloud-servers.js';
import { serverAddresses } from './addresses.js';
import { conditionFalse, conditionTrue } from './conditions.js';
import { ProvisioningError } from '../image-url/errors.js';
import type { MachineStatus } from './machine.js';
import type { BootState } from './boot-state.js';
import { providerIdOf, serverIdOf } from './provider-id.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StatusChanges, StepResult } from './step-result.js';

/** The server id of a machine whose server exists (every state after the unset one). */
export function requireServerId(status: MachineStatus): number {
  const id = serverIdOf(status.providerID);
  if (id === undefined) {
    throw new ProvisioningError(
      'STATUS_INCOMPLETE',
      `no server id: providerID is ${JSON.stringify(status.providerID ?? '')}`,
    );
  }
  return id;
}

/** What a fresh look at the server tells the status. */
export function observedChanges(server: CloudServer): StatusChanges {
  return { addresses: serverAddresses(server), instanceState: server.status };
}

/** A server that is now this machine's (created or adopted): providerID, addresses, create action. */
export function ownServerChanges(
  server: CloudServer,
  sshKeys: readonly string[],
  actionIdCreateServer: number,
): StatusChanges {
  return {
    ...observedChanges(server),
    providerID: providerIdOf(server.id),
    externalIDs: { actionIdCreateServer },
    sshKeys,
  };
}

/** The server was just created for this machine: own it, say so, and go on to `next.to`. */
export function serverCreated(
  created: CreatedServer,
  sshKeys: readonly string[],
  next: { readonly to: BootState; readonly afterMs: number },
): StepResult {
  const { server, actionId } = created;
  const message = `Created new server ${server.name} with ID ${server.id}`;
  return {
    kind: 'advance',
    to: next.to,
    after: next.afterMs,
    message,
    changes: {
      ...ownServerChanges(server, sshKeys, actionId),
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

/** A running server whose OS is up: ready, available, tracked actions forgotten (CAPH resets them to 0). */
export function operatingSystemChanges(observed: StatusChanges): StatusChanges {
  return {
    ...observed,
    ready: true,
    externalIDs: { actionIdCreateServer: 0, actionIdEnableRescueSystem: 0 },
    conditions: [
      conditionTrue(hcloudReasons.ServerProvisioned.Provisioned),
      conditionTrue(hcloudReasons.ServerAvailable.Available),
    ],
  };
}

/** The server vanished under us: terminal, as in CAPH (the Machine is remediated). */
export function serverNotFound(serverId: number): StepResult {
  const message = `hcloud server ${serverId} not found`;
  return {
    kind: 'failed',
    reason: hcloudReasons.ServerAvailable.NotFound,
    message,
    events: [{ type: 'Warning', reason: 'NoHCloudServerFound', message }],
  };
}

/**
 * CAPH's "server off": power it on and look again (also while `locked` by another action); a
 * server that stays off for `serverOffTimeoutMs` (counted from when ServerOff was first set)
 * fails the machine.
 */
export async function powerOnStoppedServer(ctx: StepContext, server: CloudServer): Promise<StepResult> {
  const after = ctx.settings.requeue.serverOffMs;
  const observed = observedChanges(server);
  const provisioned = ctx.status.conditions?.ServerProvisioned;
  const offSince =
    provisioned?.reason === hcloudReasons.ServerProvisioned.ServerOff.reason
      ? provisioned.lastTransitionTime
      : ctx.now;
  if (ctx.now.getTime() - offSince.getTime() > ctx.settings.requeue.serverOffTimeoutMs) {
    return {
      kind: 'failed',
      reason: hcloudReasons.ServerProvisioned.ServerOffTimeoutReached,
      message: `server ${server.id} stayed off since ${offSince.toISOString()} although it was powered on`,
      changes: observed,
    };
  }
  try {
    await ctx.cloud.powerOn({ serverId: server.id });
  } catch (error) {
    if (!isCloudError(error, 'locked')) throw error;
    return { kind: 'continue', after, changes: observed, message: 'Server is off and locked; waiting' };
  }
  const off = conditionFalse(hcloudReasons.ServerProvisioned.ServerOff, 'server is off; powering it on');
  return { kind: 'continue', after, changes: { ...observed, conditions: [off] }, message: 'Powering on' };
}
