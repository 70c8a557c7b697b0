import type { Phase, PhaseResult } from '../../kube/index.js';
import { observe, type Observation } from './conditions.js';
import { resolveHost, type Resolution } from './host-resolution.js';
import { mirrorHost } from './mirror-phase.js';
import {
  dropDeprecatedFinalizer,
  record,
  remediate,
  type MachineScope,
  type PhaseContext,
} from './phase-context.js';
import { fetchOwners } from '../shared/owners.js';
import type { BareMetalMachineObject, MachineObject, Owners } from './types.js';

/** What to do when the host could not be made this machine's (every kind but `associated`). */
async function unresolved(
  context: PhaseContext,
  scope: MachineScope,
  owners: Owners,
  resolution: Exclude<Resolution, { kind: 'associated' }>,
): Promise<PhaseResult | undefined> {
  const done: Observation[] = [observe.bootstrapReady()];
  const { log } = scope.context;
  switch (resolution.kind) {
    case 'conflict':
      log.info('The host changed while it was being claimed; reading it again');
      record(context, scope, done);
      return { requeue: true };
    case 'none':
      log.info({ reason: resolution.reason }, 'No available host; waiting for one');
      scope.status.phase = 'Pending';
      record(context, scope, [...done, observe.noAvailableHost(resolution.reason)]);
      return { requeueAfterMs: context.timings.noHostRequeueMs };
    case 'missing':
      log.info({ host: resolution.name }, 'The associated host is gone');
      record(context, scope, [...done, observe.hostNotFound()]);
      await remediate(context, scope, owners.machine, 'Reconcile of hbmm: host not found');
      return undefined;
  }
}

/**
 * The normal phase (CAPH's Reconcile): owners → bootstrap data → a host (claimed with a
 * resourceVersion-conditional write) → the host's state mirrored into this machine's status.
 */
export function reconcilePhase(context: PhaseContext): Phase<BareMetalMachineObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    await dropDeprecatedFinalizer(context, scope);
    const { signal, log } = scope.context;
    const found = await fetchOwners<MachineObject>(context.deps.client, scope.object, signal);
    if (found.kind === 'waiting') {
      log.info({ waitingFor: found.message }, 'Waiting before choosing a host');
      return { requeueAfterMs: context.timings.ownersRequeueMs };
    }
    const { owners } = found;
    if (!owners.machine.spec?.bootstrap?.dataSecretName) {
      // The Machine's change (dataSecretName set) brings this machine back.
      scope.status.phase = 'Pending';
      record(context, scope, [observe.bootstrapNotReady()]);
      return undefined;
    }
    const resolution = await resolveHost({
      client: context.deps.client,
      hosts: context.hosts,
      machine: scope.object,
      owners,
      signal,
    });
    if (resolution.kind !== 'associated') return unresolved(context, scope, owners, resolution);
    await mirrorHost(context, scope, owners, resolution);
    return undefined;
  };
}
