import {
  clusterKind,
  indexByClusterName,
  machineKind,
  ObjectReconciler,
  toClusterMembers,
  toInfrastructureRef,
  toSelf,
  watchSource,
  type ClusterLike,
  type KubeObject,
  type Runtime,
} from '../../kube/index.js';
import { deletePhase } from './delete-phase.js';
import { hostToMachines } from './host-links.js';
import type { PhaseContext } from './phase-context.js';
import { reconcilePhase } from './reconcile-phase.js';
import {
  bareMetalHosts,
  bareMetalMachines,
  DEFAULT_TIMINGS,
  FINALIZER,
  type BareMetalHostObject,
  type BareMetalMachineDeps,
  type BareMetalMachineObject,
  type BareMetalMachineTimings,
} from './types.js';

export interface BareMetalMachineControllerOptions {
  readonly workers?: number;
  /** Requeue delays (tests shorten them). */
  readonly timings?: Partial<BareMetalMachineTimings>;
}

/**
 * Registers the HetznerBareMetalMachine controller on the runtime's manager: watches
 * HetznerBareMetalMachines, HetznerBareMetalHosts (→ the machine that consumes them, and
 * machines waiting for a free host), Cluster API Machines (→ their infrastructure ref) and
 * Clusters (→ their members, for pause). The host's own controller drives the host; this one
 * claims, copies, mirrors and releases.
 */
export function addHetznerBareMetalMachineController(
  runtime: Pick<Runtime, 'manager' | 'events' | 'metrics'>,
  deps: BareMetalMachineDeps,
  options: BareMetalMachineControllerOptions = {},
): void {
  const { manager } = runtime;
  const machines = manager.informer<BareMetalMachineObject>(bareMetalMachines);
  indexByClusterName(machines);
  const hosts = manager.informer<BareMetalHostObject>(bareMetalHosts);
  const clusters = manager.informer<ClusterLike>(clusterKind);
  const capiMachines = manager.informer<KubeObject>(machineKind);
  const context: PhaseContext = { deps, hosts, timings: { ...DEFAULT_TIMINGS, ...options.timings } };
  const reconciler = new ObjectReconciler<BareMetalMachineObject>({
    kind: bareMetalMachines,
    client: deps.client,
    cache: machines,
    clusters,
    finalizer: FINALIZER,
    phases: [reconcilePhase(context)],
    deletePhases: [deletePhase(context)],
    events: runtime.events,
    metrics: runtime.metrics.forController('hetznerbaremetalmachine'),
  });
  manager.addController({
    name: 'hetznerbaremetalmachine',
    for: watchSource(machines, toSelf()),
    watches: [
      watchSource(hosts, hostToMachines(machines)),
      watchSource(clusters, toClusterMembers(machines)),
      watchSource(capiMachines, toInfrastructureRef(bareMetalMachines.kind)),
    ],
    reconciler,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}
