import { KnownSecrets } from '../../util/known-secrets.js';
import {
  clusterKind,
  indexByClusterName,
  ObjectReconciler,
  toClusterMembers,
  toSelf,
  watchSource,
  type ClusterLike,
  type Runtime,
} from '../../kube/index.js';
import { RetryGate } from '../shared/retry-gate.js';
import { HostProvisioningMetrics } from './host-metrics.js';
import { hetznerClusterToHosts, machineToHosts } from './links.js';
import { deletePhase, provisionPhase, type HostPhaseContext } from './phases.js';
import { secretsByName } from '../shared/secret-reads.js';
import { hostToSameServerHosts, indexByServer } from './server-claim.js';
import {
  bareMetalHosts,
  bareMetalMachines,
  FINALIZER,
  hetznerClusters,
  type BareMetalHostDeps,
  type BareMetalHostObject,
  type BareMetalMachineObject,
  type HetznerClusterObject,
} from './types.js';

export interface BareMetalHostControllerOptions {
  readonly workers?: number;
}

/**
 * Registers the HetznerBareMetalHost controller on the runtime's manager: it drives each host
 * through the bare-metal core's provisioning states (src/baremetal) with the Robot API, the
 * rescue system and the image-url-command. Watches the hosts, the hosts naming the same Robot
 * server, their HetznerClusters, the HetznerBareMetalMachines that consume them and the Clusters
 * (pause). The Secrets a host reads (bootstrap data, OS key, Robot credentials, rescue key) are
 * read by name in each reconcile, not watched: a host waiting for one looks again after WAIT_MS.
 */
export function addHetznerBareMetalHostController(
  runtime: Pick<Runtime, 'manager' | 'events' | 'metrics'>,
  deps: BareMetalHostDeps,
  options: BareMetalHostControllerOptions = {},
): void {
  const { manager } = runtime;
  const metrics = new HostProvisioningMetrics(runtime.metrics.registry);
  const observed: BareMetalHostDeps = {
    ...deps,
    onTransition: (transition) => {
      metrics.transitioned(transition);
      deps.onTransition?.(transition);
    },
  };
  const hosts = manager.informer<BareMetalHostObject>(bareMetalHosts);
  indexByClusterName(hosts);
  indexByServer(hosts);
  const machines = manager.informer<BareMetalMachineObject>(bareMetalMachines);
  const clusters = manager.informer<ClusterLike>(clusterKind);
  const clusterInfra = manager.informer<HetznerClusterObject>(hetznerClusters);
  const context: HostPhaseContext = {
    deps: observed,
    secrets: secretsByName(deps.client),
    known: deps.knownSecrets ?? new KnownSecrets(),
    caches: {
      hosts,
      machines,
      clusters,
      hetznerClusters: clusterInfra,
    },
    gate: new RetryGate(),
  };
  const reconciler = new ObjectReconciler<BareMetalHostObject>({
    kind: bareMetalHosts,
    client: deps.client,
    cache: hosts,
    clusters,
    finalizer: FINALIZER,
    phases: [provisionPhase(context)],
    deletePhases: [deletePhase(context)],
    events: runtime.events,
    metrics: runtime.metrics.forController('hetznerbaremetalhost'),
    // The host's status lives in spec.status (CAPH v1beta1): nothing goes to the status subresource.
    observedGeneration: false,
  });
  manager.addController({
    name: 'hetznerbaremetalhost',
    for: watchSource(hosts, toSelf()),
    watches: [
      watchSource(hosts, hostToSameServerHosts(hosts)),
      watchSource(clusterInfra, hetznerClusterToHosts(hosts)),
      watchSource(machines, machineToHosts(hosts)),
      watchSource(clusters, toClusterMembers(hosts)),
    ],
    reconciler,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}
