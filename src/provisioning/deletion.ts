import { isCloudError } from '../ports/cloud-errors.js';
import type { MachineEvent } from '../ports/event-sink.js';
import { applyChanges } from './apply-status.js';
import { resultOfThrown } from './cloud-failures.js';
import { conditionFalse } from './conditions.js';
import type { ProvisionerPorts } from './provisioner-ports.js';
import type { MachineInput, MachineStatus } from './machine.js';
import { serverIdOf } from './provider-id.js';
import { ownedCloud } from './owned-cloud.js';
import {
  isOwnServer,
  isServerNotOwned,
  type ServerNotOwnedError,
  type VerifiedServers,
} from './server-ownership.js';
import { hcloudReasons } from './reasons.js';
import type { ProvisioningSettings } from './settings.js';
import { toRequeue, type Requeue, type StepResult } from './step-result.js';
import { trackCloud } from './tracked-cloud.js';

export interface DeletionOutcome {
  /** True once no server is left: the caller may remove its finalizer. */
  readonly done: boolean;
  readonly status: MachineStatus;
  readonly requeue: Requeue;
  readonly message?: string;
}

type DeletionStep = { readonly kind: 'done'; readonly events: readonly MachineEvent[] } | StepResult;

/**
 * Deletion, in any boot state (also mid-provisioning): delete the server right away, without a
 * shutdown first (nothing on a machine being provisioned or replaced needs one). Without a
 * providerID nothing is called, unless a create may have happened whose result was not
 * recorded (`serverRequested`): then the server is looked up by name and deleted if it is ours.
 */
export async function deleteMachine(
  env: {
    readonly ports: ProvisionerPorts;
    readonly settings: ProvisioningSettings;
    readonly verified: VerifiedServers;
  },
  input: MachineInput,
  stored: MachineStatus,
): Promise<DeletionOutcome> {
  const now = env.ports.clock.now();
  const cloud = trackCloud(ownedCloud(env.ports.cloud, input, env.verified));
  let step: DeletionStep;
  try {
    step = await deleteServer(cloud.port, input, stored, env.settings);
  } catch (error) {
    step = isServerNotOwned(error)
      ? leftAlone(error)
      : resultOfThrown(error, { state: stored.bootState, ...failedCall(cloud.lastFailed()) });
  }
  const deleting = conditionFalse(hcloudReasons.ServerAvailable.Deleting, 'server is being deleted', 'Info');
  let status = applyChanges(stored, { instanceState: 'deleting', conditions: [deleting] }, now);
  for (const event of step.events ?? []) env.ports.events.emit(event);
  if (step.kind === 'done') return { done: true, status, requeue: { kind: 'none' } };
  status = applyChanges(status, step.changes, now);
  const consecutiveErrors = step.kind === 'error' ? (stored.consecutiveErrors ?? 0) + 1 : 0;
  status = { ...status, consecutiveErrors };
  const requeue = toRequeue(step, { errorCount: consecutiveErrors, backoff: env.settings.backoff });
  return { done: false, status, requeue, ...(step.message === undefined ? {} : { message: step.message }) };
}

async function deleteServer(
  cloud: ProvisionerPorts['cloud'],
  input: MachineInput,
  status: MachineStatus,
  settings: ProvisioningSettings,
): Promise<DeletionStep> {
  let serverId = serverIdOf(status.providerID);
  if (serverId === undefined) {
    if (status.serverRequested !== true) return { kind: 'done', events: [] };
    const found = await cloud.findServerByName({ name: input.name });
    if (found === undefined || !isOwnServer(found, input)) return { kind: 'done', events: [] };
    serverId = found.id;
  }
  try {
    const { deleted } = await cloud.deleteServer({ serverId });
    const event: MachineEvent = deleted
      ? {
          type: 'Normal',
          reason: 'HCloudServerDeleted',
          message: `Deleted server ${input.name} with ID ${serverId}`,
        }
      : { type: 'Warning', reason: 'NoInstanceFound', message: `No server with ID ${serverId} to delete` };
    return { kind: 'done', events: [event] };
  } catch (error) {
    if (!isCloudError(error, 'locked')) throw error;
    return {
      kind: 'continue',
      after: settings.requeue.lockedMs,
      message: 'Server locked; retrying the delete',
    };
  }
}

/**
 * A machine whose providerID names a server not created for it (see ownershipOf) goes away
 * without touching that server: deleting it would destroy someone else's machine.
 */
function leftAlone(error: ServerNotOwnedError): DeletionStep {
  const message = `Left server ${error.serverId} alone: it was not created for this machine (${error.why})`;
  return { kind: 'done', events: [{ type: 'Warning', reason: 'ServerNotOwned', message }] };
}

function failedCall<T>(method: T | undefined): { failedCall?: T } {
  return method === undefined ? {} : { failedCall: method };
}
