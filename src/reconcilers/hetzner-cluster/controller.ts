import { KnownSecrets } from '../../util/known-secrets.js';
import {
  clusterKind,
  ObjectReconciler,
  toSelf,
  watchSource,
  type KubeObject,
  type Runtime,
} from '../../kube/index.js';
import { clusterToHetznerClusters, machineToHetznerClusters } from './cluster-links.js';
import { deletePhase, reconcilePhase, type PhaseContext } from './phases.js';
import { secretsByName } from '../shared/secret-reads.js';
import { SshKeyChecker, type SshKeyCheckTimings } from './ssh-key-check.js';
import { StepBackoff, type StepBackoffTimings } from './step-backoff.js';
import {
  bareMetalMachines,
  FINALIZER,
  hcloudMachines,
  hetznerClusters as hetznerClustersKind,
  type ClusterObject,
  type HetznerClusterDeps,
  type HetznerClusterObject,
} from './types.js';

export interface HetznerClusterControllerOptions {
  readonly workers?: number;
  /** How long SSH key checks are trusted and retried (tests shorten them). */
  readonly timings?: Partial<SshKeyCheckTimings>;
  /** How soon a cluster whose credential Secrets are missing or incomplete reads them again. */
  readonly secretRecheckMs?: number;
  /** How long failing cloud steps wait before calling the API again. */
  readonly backoff?: StepBackoffTimings;
}

/**
 * Secrets are read by name, not watched (the role needs no list or watch on Secrets): a Secret
 * created or fixed after its HetznerCluster is noticed within this long (docs/security.md).
 */
export const SECRET_RECHECK_MS = 30_000;

/**
 * Registers the HetznerCluster controller on the runtime's manager: watches HetznerClusters,
 * Clusters (pause, infrastructureRef) and the machines that appear in or leave a cluster
 * (deletion waits for them; bare metal brings the Robot check). The Secrets a cluster names are
 * read by name in each reconcile; while one is missing, again every SECRET_RECHECK_MS.
 */
export function addHetznerClusterController(
  runtime: Pick<Runtime, 'manager' | 'events' | 'metrics'>,
  deps: HetznerClusterDeps,
  options: HetznerClusterControllerOptions = {},
): void {
  const { manager } = runtime;
  const hetznerClusters = manager.informer<HetznerClusterObject>(hetznerClustersKind);
  const clusters = manager.informer<ClusterObject>(clusterKind);
  const caches = { hetznerClusters, clusters };
  const context: PhaseContext = {
    deps,
    caches,
    secrets: secretsByName(deps.client),
    secretRecheckMs: options.secretRecheckMs ?? SECRET_RECHECK_MS,
    hcloudMachines: manager.informer<KubeObject>(hcloudMachines),
    bareMetalMachines: manager.informer<KubeObject>(bareMetalMachines),
    sshKeys: new SshKeyChecker(deps, options.timings),
    known: deps.knownSecrets ?? new KnownSecrets(),
    backoff: new StepBackoff(options.backoff),
  };
  const reconciler = new ObjectReconciler<HetznerClusterObject>({
    kind: hetznerClustersKind,
    client: deps.client,
    cache: hetznerClusters,
    clusters,
    finalizer: FINALIZER,
    phases: [reconcilePhase(context)],
    deletePhases: [deletePhase(context)],
    events: runtime.events,
    metrics: runtime.metrics.forController('hetznercluster'),
  });
  manager.addController({
    name: 'hetznercluster',
    for: watchSource(hetznerClusters, toSelf()),
    watches: [
      watchSource(clusters, clusterToHetznerClusters(caches)),
      watchSource(context.hcloudMachines, machineToHetznerClusters(caches)),
      watchSource(context.bareMetalMachines, machineToHetznerClusters(caches)),
    ],
    reconciler,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}
