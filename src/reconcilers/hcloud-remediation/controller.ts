import {
  clusterKind,
  indexByClusterName,
  infrastructureKind,
  machineKind,
  ObjectReconciler,
  toClusterMembers,
  toOwned,
  toSelf,
  watchSource,
  type ClusterLike,
  type KubeObject,
  type Runtime,
} from '../../kube/index.js';
import { hcloudRemediationKind } from '../../../api/v1beta1/index.js';
import { remediationPhase } from './phases.js';
import type { HCloudRemediationDeps, HCloudRemediationObject } from './types.js';

export const hcloudRemediations = infrastructureKind(hcloudRemediationKind);

/**
 * Registers the HCloudRemediation controller: watches HCloudRemediations, Clusters (pause) and
 * their owner Machines (an owner reference set late, a node healthy again). No finalizer, as
 * in CAPH: deleting a remediation (the MachineHealthCheck does when the machine is healthy)
 * needs no cleanup.
 */
export function addHCloudRemediationController(
  runtime: Pick<Runtime, 'manager' | 'events' | 'metrics'>,
  deps: HCloudRemediationDeps,
): void {
  const { manager } = runtime;
  const remediations = manager.informer<HCloudRemediationObject>(hcloudRemediations);
  indexByClusterName(remediations);
  const clusters = manager.informer<ClusterLike>(clusterKind);
  const machines = manager.informer<KubeObject>(machineKind);
  const reconciler = new ObjectReconciler<HCloudRemediationObject>({
    kind: hcloudRemediations,
    client: deps.client,
    cache: remediations,
    clusters,
    phases: [remediationPhase(deps)],
    events: runtime.events,
    metrics: runtime.metrics.forController('hcloudremediation'),
    // CAPH's v1beta1 status has no observedGeneration.
    observedGeneration: false,
  });
  manager.addController({
    name: 'hcloudremediation',
    for: watchSource(remediations, toSelf()),
    watches: [
      watchSource(clusters, toClusterMembers(remediations)),
      watchSource(machines, toOwned(remediations, 'Machine')),
    ],
    reconciler,
  });
}
