import type { KnownSecrets } from '../../util/known-secrets.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { Clock } from '../../ports/clock.js';
import type { CloudSshKeys } from '../../ports/cloud-ssh-keys.js';
import type { ClusterCloud } from './infra-types.js';

/** CAPH's HetznerCluster finalizer, and the older spelling it removes when it sees it. */
export const FINALIZER = 'infrastructure.cluster.x-k8s.io/hetznercluster';
export const DEPRECATED_FINALIZER = 'hetznercluster.infrastructure.cluster.x-k8s.io';
/** CAPH's finalizer on the Hetzner credentials Secret while a HetznerCluster uses it. */
export const SECRET_FINALIZER = 'infrastructure.cluster.x-k8s.io/caph-secret';
export const DEPRECATED_SECRET_FINALIZER = 'hetznercluster.infrastructure.cluster.x-k8s.io/secret';

export { bareMetalMachines, hcloudMachines, hetznerClusters } from '../shared/kinds.js';

export type { HetznerClusterObject, SecretObject } from '../shared/objects.js';

/** A Cluster API Cluster, v1beta1 or v1beta2 reference shape. */
export interface ClusterObject extends KubeObject {
  spec?: {
    paused?: boolean;
    infrastructureRef?: { apiGroup?: string; apiVersion?: string; kind?: string; name?: string };
  };
}

/** What the HetznerCluster reconciler is built from (all injected by the composition root). */
export interface HetznerClusterDeps {
  readonly client: KubeClient;
  /** The CloudSshKeys port for one hcloud token (the caller may cache one per token). */
  readonly sshKeysFor: (token: string) => CloudSshKeys;
  /**
   * Networks, placement groups and load balancers for one hcloud token. Without it the cluster's
   * cloud resources are left alone (only credentials and SSH keys are checked).
   */
  readonly infraFor?: (token: string) => ClusterCloud;
  readonly clock: Clock;
  /** Told every Secret value read, for the process's redactor (a private one when absent). */
  readonly knownSecrets?: KnownSecrets;
}
