import type { Informer, Scope } from '../../kube/index.js';
import { hasFinalizer, removeFinalizer } from '../../kube/reconcile/finalizers.js';
import { applyObservations, type Observation } from './conditions.js';
import { requestRemediation } from '../shared/remediation.js';
import {
  bareMetalMachines,
  DEPRECATED_FINALIZER,
  type BareMetalHostObject,
  type BareMetalMachineDeps,
  type BareMetalMachineObject,
  type BareMetalMachineTimings,
  type MachineObject,
} from './types.js';

/** What the phases are built from: the injected dependencies, the host cache and the timings. */
export interface PhaseContext {
  readonly deps: BareMetalMachineDeps;
  readonly hosts: Informer<BareMetalHostObject>;
  readonly timings: BareMetalMachineTimings;
}

export type MachineScope = Scope<BareMetalMachineObject>;

/** Writes observations (conditions and both Ready summaries) into the status draft. */
export function record(
  context: PhaseContext,
  scope: MachineScope,
  observations: readonly Observation[],
): void {
  const generation = scope.object.metadata.generation;
  applyObservations(scope.status, observations, {
    now: context.deps.clock.now(),
    ...(generation === undefined ? {} : { generation }),
  });
}

/** Asks Cluster API to replace the Machine; the Warning event is emitted once, when newly asked. */
export async function remediate(
  context: PhaseContext,
  scope: MachineScope,
  machine: MachineObject,
  message: string,
): Promise<void> {
  if (!(await requestRemediation(context.deps.client, machine, scope.context.signal))) return;
  scope.context.log.info({ reason: message }, 'Requesting remediation of the Machine');
  scope.event({
    type: 'Warning',
    reason: 'MachineWillBeDeleted',
    note: `Machine will be deleted: ${message}`,
  });
}

/** CAPH removes its older finalizer spelling whenever it sees it. */
export async function dropDeprecatedFinalizer(context: PhaseContext, scope: MachineScope): Promise<void> {
  if (!hasFinalizer(scope.object, DEPRECATED_FINALIZER)) return;
  await removeFinalizer({
    client: context.deps.client,
    kind: bareMetalMachines,
    object: scope.object,
    finalizer: DEPRECATED_FINALIZER,
    signal: scope.context.signal,
  });
}
