import type { KubeObject } from '../../kube/index.js';
import type { Owners as SharedOwners } from '../shared/owners.js';

export type { ClusterObject, HetznerClusterObject } from '../shared/owners.js';

/** The finalizer CAPH puts on HCloudMachines. */
export const FINALIZER = 'hcloudmachine.infrastructure.cluster.x-k8s.io';
/** Where the core's own bookkeeping (no CRD field for it) is persisted, as JSON. */
export { HCLOUD_MACHINE_STATE_ANNOTATION as STATE_ANNOTATION } from '../../../api/v1beta1/annotations.js';
export { REMEDIATE_ANNOTATION } from '../shared/remediation.js';

export type { HCloudMachineObject } from '../shared/objects.js';

export interface MachineObject extends KubeObject {
  spec?: {
    clusterName?: string;
    bootstrap?: { dataSecretName?: string };
    failureDomain?: string;
  };
}

/** The objects an HCloudMachine needs before anything is provisioned (CAPH's preamble). */
export type Owners = SharedOwners<MachineObject>;

export interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}
