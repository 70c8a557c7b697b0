import type {
  HCloudMachineSpec,
  HCloudMachineStatus,
  HetznerBareMetalHostSpec,
  HetznerBareMetalMachineSpec,
  HetznerBareMetalMachineStatus,
  HetznerClusterSpec,
  HetznerClusterStatus,
} from '../../../api/v1beta1/index.js';
import type { KubeObject } from '../../kube/index.js';

/** The objects of imageurl's kinds as the reconcilers read them from caches and the apiserver. */

export interface HCloudMachineObject extends KubeObject {
  spec: HCloudMachineSpec;
  status?: HCloudMachineStatus;
}

export interface HetznerClusterObject extends KubeObject {
  spec: HetznerClusterSpec;
  status?: Partial<HetznerClusterStatus>;
}

export interface BareMetalMachineObject extends KubeObject {
  spec: HetznerBareMetalMachineSpec;
  status?: HetznerBareMetalMachineStatus;
}

export interface BareMetalHostObject extends KubeObject {
  spec: HetznerBareMetalHostSpec;
  /** Empty in CAPH v1beta1: the host keeps its status in spec.status. */
  status?: object;
}

export interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}
