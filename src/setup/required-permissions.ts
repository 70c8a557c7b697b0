/**
 * Every apiserver request `imageurl controller` makes, as RBAC rules: the single source the
 * shipped roles (config/rbac) are checked against, so a new client call without its rule fails a
 * test rather than a production cluster. Each entry names the code that needs it.
 */
import { clusterKind, eventKind, leaseKind, machineKind, secretKind, type KindRef } from '../kube/index.js';
import { hcloudRemediations } from '../reconcilers/hcloud-remediation/index.js';
import {
  bareMetalHosts,
  bareMetalMachines,
  hcloudMachines,
  hetznerClusters,
} from '../reconcilers/shared/kinds.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface RequiredPermission {
  readonly group: string;
  /** The plural, or `plural/subresource`. */
  readonly resource: string;
  readonly verbs: readonly Verb[];
  /**
   * `cluster`: the ClusterRole (objects in every watched namespace); `leader-election`: the Role
   * in the controller's own namespace, where its Lease lives.
   */
  readonly scope: 'cluster' | 'leader-election';
  /** Which code makes these requests. */
  readonly usedBy: string;
}

/** An informer lists and then watches; reconcilers read single objects again (read-your-writes). */
const CACHED: readonly Verb[] = ['get', 'list', 'watch'];

function rule(
  kind: KindRef,
  verbs: readonly Verb[],
  usedBy: string,
  options: { subresource?: string; scope?: RequiredPermission['scope'] } = {},
): RequiredPermission {
  const resource = options.subresource ? `${kind.plural}/${options.subresource}` : kind.plural;
  return { group: kind.group, resource, verbs, scope: options.scope ?? 'cluster', usedBy };
}

const OWN_KIND =
  'informer (src/kube/informer), ObjectReconciler reads (src/kube/reconcile/object-reconciler.ts, read-your-writes.ts), finalizer merge patches (src/kube/reconcile/finalizers.ts)';

/**
 * Not listed because every authenticated user has them: `create` on
 * authentication.k8s.io selfsubjectreviews (src/kube/client/self-subject-review.ts, the
 * controller's own username for the webhook), granted by the built-in `system:basic-user`.
 * Not needed: `update` on `…/finalizers`, since the owner references the controller writes
 * (src/reconcilers/hetzner-bare-metal-machine/host-claim.ts) never set blockOwnerDeletion.
 */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = [
  rule(
    hcloudMachines,
    [...CACHED, 'patch'],
    `${OWN_KIND}; the bookkeeping annotation and spec.providerID (src/reconcilers/hcloud-machine/persist.ts)`,
  ),
  rule(
    hcloudMachines,
    ['patch'],
    'status patches (src/kube/reconcile/status-patch.ts); status.lastRemediatedAt after a successful remediation (src/reconcilers/hcloud-remediation/phases.ts)',
    {
      subresource: 'status',
    },
  ),
  rule(hetznerClusters, [...CACHED, 'patch'], OWN_KIND),
  rule(hetznerClusters, ['patch'], 'status patches (src/kube/reconcile/status-patch.ts)', {
    subresource: 'status',
  }),
  rule(
    bareMetalMachines,
    [...CACHED, 'patch'],
    `${OWN_KIND}; host annotation and spec.providerID (src/reconcilers/hetzner-bare-metal-machine/machine-writes.ts)`,
  ),
  rule(bareMetalMachines, ['patch'], 'status patches (src/kube/reconcile/status-patch.ts)', {
    subresource: 'status',
  }),
  rule(
    bareMetalHosts,
    [...CACHED, 'patch'],
    `${OWN_KIND}; claims and releases (src/reconcilers/hetzner-bare-metal-machine/host-writes.ts), spec.status and the bookkeeping annotation (src/reconcilers/hetzner-bare-metal-host/persist.ts); its status lives in spec, so no status subresource`,
  ),
  rule(
    machineKind,
    [...CACHED, 'patch'],
    'informers of the machine controllers (src/reconcilers/*/controller.ts), the owner Machine (src/reconcilers/shared/owners.ts), the remediate-machine annotation (src/reconcilers/shared/remediation.ts)',
  ),
  rule(
    machineKind,
    ['patch'],
    'OwnerRemediated False when a remediation gives up (src/reconcilers/hcloud-remediation/machine-writes.ts)',
    {
      subresource: 'status',
    },
  ),
  rule(hcloudRemediations, CACHED, `${OWN_KIND}; no finalizer`),
  rule(hcloudRemediations, ['patch'], 'status patches (src/kube/reconcile/status-patch.ts)', {
    subresource: 'status',
  }),
  rule(
    clusterKind,
    CACHED,
    'informers for spec.paused and infrastructureRef (src/reconcilers/*/controller.ts), the owner Cluster (src/reconcilers/shared/owners.ts)',
  ),
  rule(
    secretKind,
    ['get', 'patch'],
    'Secrets read by name, never listed or watched (src/reconcilers/shared/secret-reads.ts): credentials, SSH keys, registry credentials and bootstrap data of HetznerClusters, HetznerBareMetalHosts and HCloudMachines; the HetznerCluster finalizer on its credentials Secret, added and removed by merge patch (src/reconcilers/hetzner-cluster/secret-claim.ts), and the clusterctl move label on the Secrets a HetznerCluster names (src/reconcilers/hetzner-cluster/secret-move-label.ts)',
  ),
  rule(
    eventKind,
    ['create', 'patch'],
    'the event recorder: new events, and series counts of repeated ones (src/kube/events/recorder.ts)',
  ),
  rule(
    leaseKind,
    [...CACHED, 'create', 'update'],
    'leader election: the Lease is watched, created and renewed with PUT (src/kube/leader/leader-elector.ts, lease-watch.ts)',
    { scope: 'leader-election' },
  ),
];
