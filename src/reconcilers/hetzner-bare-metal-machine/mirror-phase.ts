import { observe, type Observation } from './conditions.js';
import { patchMachine } from './machine-writes.js';
import {
  addressesOf,
  hasFatalError,
  hostReadyObservation,
  isProvisioned,
  providerIdFor,
  remediationReason,
  sameAddresses,
} from './mirror.js';
import { record, remediate, type MachineScope, type PhaseContext } from './phase-context.js';
import type { BareMetalHostObject, Owners } from './types.js';

/** Cluster API v1beta1's MachineStatusError for a machine that could not be created. */
const CREATE_ERROR = 'CreateError';

function claimedEvent(scope: MachineScope, host: BareMetalHostObject): void {
  const name = host.metadata.name ?? '';
  scope.context.log.info({ host: name, serverID: host.spec.serverID }, 'Claimed a host');
  scope.event({
    type: 'Normal',
    reason: 'HostAssociated',
    note: `claimed HetznerBareMetalHost ${name} (server ${host.spec.serverID})`,
  });
}

/** Addresses from the host; lastUpdated when they change (CAPH's updateMachineAddresses). */
function mirrorAddresses(context: PhaseContext, scope: MachineScope, host: BareMetalHostObject): void {
  const addresses = addressesOf(host, scope.object.metadata.name ?? '');
  if (addresses === undefined) return;
  if (sameAddresses(addresses, scope.status.addresses ?? [])) return;
  scope.status.addresses = addresses;
  scope.status.lastUpdated = context.deps.clock.now().toISOString();
}

/**
 * A fatal/permanent host error: the machine is replaced (CAPH: remediation request, phase
 * Deleting, not ready); imageurl also sets Cluster API's v1beta1 failureReason/failureMessage.
 */
function markFailed(scope: MachineScope, message: string): void {
  scope.status.phase = 'Deleting';
  scope.status.ready = false;
  scope.status.failureReason = CREATE_ERROR;
  scope.status.failureMessage = message;
}

/**
 * CAPH's update + setProviderID for a host this machine consumes: mirror the host's Ready into
 * HostReady and its addresses into status; remediate on maintenance or a fatal error; once the
 * host is provisioned set spec.providerID (never changed afterwards) and ready. Ready waits for
 * the providerID (CAPH sets it before the host is provisioned; Cluster API then waits anyway).
 */
export async function mirrorHost(
  context: PhaseContext,
  scope: MachineScope,
  owners: Owners,
  resolved: { readonly host: BareMetalHostObject; readonly claimed: boolean },
): Promise<void> {
  const { host } = resolved;
  if (resolved.claimed) claimedEvent(scope, host);
  const observations: Observation[] = [
    observe.bootstrapReady(),
    observe.hostAssociated(),
    hostReadyObservation(host),
  ];
  const failure = remediationReason(host);
  if (failure !== undefined) await remediate(context, scope, owners.machine, failure);
  mirrorAddresses(context, scope, host);
  const signal = scope.context.signal;
  if (failure !== undefined && hasFatalError(host)) {
    await patchMachine(context.deps.client, scope.object, { host }, signal);
    markFailed(scope, failure);
    record(context, scope, observations);
    return;
  }
  const providerID =
    scope.object.spec.providerID ??
    (isProvisioned(host) ? providerIdFor(owners.hetznerCluster, host.spec.serverID) : undefined);
  await patchMachine(
    context.deps.client,
    scope.object,
    { host, ...(providerID ? { providerID } : {}) },
    signal,
  );
  scope.status.phase = providerID ? 'Running' : 'Provisioning';
  scope.status.ready = providerID !== undefined;
  if (providerID) observations.push(observe.serverAvailable());
  record(context, scope, observations);
}
