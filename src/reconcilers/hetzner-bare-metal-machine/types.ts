import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { Clock } from '../../ports/clock.js';
import type { Owners as SharedOwners } from '../shared/owners.js';

export type { ClusterObject, HetznerClusterObject } from '../shared/owners.js';

/** CAPH's HetznerBareMetalMachine finalizer, and the older spelling it removes when it sees it. */
export const FINALIZER = 'infrastructure.cluster.x-k8s.io/hetznerbaremetalmachine';
export const DEPRECATED_FINALIZER = 'hetznerbaremetalmachine.infrastructure.cluster.x-k8s.io';
/** CAPH's `infrav1.HostAnnotation`: on the machine, `<namespace>/<host name>` of the claimed host. */
export const HOST_ANNOTATION = 'infrastructure.cluster.x-k8s.io/HetznerBareMetalHost';
/** On the HetznerCluster: `"true"` (any case) selects `hrobot://<serverID>` provider IDs. */
export const HROBOT_PROVIDER_ID_ANNOTATION = 'capi.syself.com/use-hrobot-provider-id-for-baremetal';
export { REMEDIATE_ANNOTATION } from '../shared/remediation.js';

export { bareMetalHosts, bareMetalMachines, hetznerClusters } from '../shared/kinds.js';

export type { BareMetalHostObject, BareMetalMachineObject } from '../shared/objects.js';

/** A Cluster API Machine, v1beta1 or v1beta2 (the fields read here are the same in both). */
export interface MachineObject extends KubeObject {
  spec?: { clusterName?: string; bootstrap?: { dataSecretName?: string } };
}

/** The objects a HetznerBareMetalMachine needs before it claims a host (CAPH's preamble). */
export type Owners = SharedOwners<MachineObject>;

/** How long to wait before looking again (tests shorten them). */
export interface BareMetalMachineTimings {
  /** No host is available (CAPH: 7 minutes); a host that becomes free wakes the machine sooner. */
  readonly noHostRequeueMs: number;
  /** Owner Machine, Cluster or HetznerCluster missing (their watches usually come first). */
  readonly ownersRequeueMs: number;
  /** Deletion waits for the host to deprovision (CAPH: 30 s); the host's change comes sooner. */
  readonly deprovisionRequeueMs: number;
}

export const DEFAULT_TIMINGS: BareMetalMachineTimings = {
  noHostRequeueMs: 7 * 60_000,
  ownersRequeueMs: 5_000,
  deprovisionRequeueMs: 30_000,
};

/** What the HetznerBareMetalMachine reconciler is built from (injected by the composition root). */
export interface BareMetalMachineDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
}
