import {
  clusterKind,
  indexByClusterName,
  machineKind,
  ObjectReconciler,
  toClusterMembers,
  toInfrastructureRef,
  toSelf,
  wakeSource,
  watchSource,
  type ClusterLike,
  type KubeObject,
  type Runtime,
} from '../../kube/index.js';
import { deletePhase, provisionPhase, type HCloudMachineDeps } from './phases.js';
import { hcloudMachines } from '../shared/kinds.js';
import { ProvisioningMetrics } from './provisioning-metrics.js';
import { FINALIZER, type HCloudMachineObject } from './types.js';

export interface HCloudMachineControllerOptions {
  readonly workers?: number;
}

/**
 * Registers the HCloudMachine controller on the runtime's manager: watches HCloudMachines,
 * Cluster API Machines (→ their infrastructure ref) and Clusters (→ their members).
 */
export function addHCloudMachineController(
  runtime: Pick<Runtime, 'manager' | 'events' | 'metrics'>,
  deps: HCloudMachineDeps,
  options: HCloudMachineControllerOptions = {},
): void {
  const { manager } = runtime;
  const metrics = new ProvisioningMetrics(runtime.metrics.registry);
  // The banner watch wakes a machine whose rescue system answers (no reconcile every 250 ms to ask).
  const wakes = wakeSource(hcloudMachines.kind);
  const observed: HCloudMachineDeps = {
    ...deps,
    wake: (key) => wakes.wake(key),
    onTransition: (transition) => {
      metrics.transitioned(transition);
      deps.onTransition?.(transition);
    },
  };
  const machines = manager.informer<HCloudMachineObject>(hcloudMachines);
  indexByClusterName(machines);
  const clusters = manager.informer<ClusterLike>(clusterKind);
  const capiMachines = manager.informer<KubeObject>(machineKind);
  const reconciler = new ObjectReconciler<HCloudMachineObject>({
    kind: hcloudMachines,
    client: deps.client,
    cache: machines,
    clusters,
    finalizer: FINALIZER,
    phases: [provisionPhase(observed)],
    deletePhases: [deletePhase(deps)],
    events: runtime.events,
    metrics: runtime.metrics.forController('hcloudmachine'),
  });
  manager.addController({
    name: 'hcloudmachine',
    for: watchSource(machines, toSelf()),
    watches: [
      watchSource(clusters, toClusterMembers(machines)),
      watchSource(capiMachines, toInfrastructureRef(hcloudMachines.kind)),
      wakes,
    ],
    reconciler,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}
