import {
  hcloudMachineKind,
  hetznerBareMetalHostKind,
  hetznerBareMetalMachineKind,
  hetznerClusterKind,
} from '../../../api/v1beta1/index.js';
import { infrastructureKind, type KindRef } from '../../kube/index.js';

/**
 * How the reconcilers reach imageurl's kinds over the REST API: built once from the kinds in
 * `api/v1beta1`, so an owner lookup, a watch and a mapper all name a kind the same way.
 */
export const hcloudMachines: KindRef = infrastructureKind(hcloudMachineKind);
export const hetznerClusters: KindRef = infrastructureKind(hetznerClusterKind);
export const bareMetalMachines: KindRef = infrastructureKind(hetznerBareMetalMachineKind);
export const bareMetalHosts: KindRef = infrastructureKind(hetznerBareMetalHostKind);

/** A Cluster's or Machine's `spec.infrastructureRef` (v1beta1 and v1beta2 share these fields). */
export interface InfrastructureRef {
  readonly kind?: string | undefined;
  readonly name?: string | undefined;
}

/** The name `ref` points at when it references an object of `kind`, else undefined. */
export function referencedName(ref: InfrastructureRef | undefined, kind: KindRef): string | undefined {
  return ref?.kind === kind.kind && ref.name ? ref.name : undefined;
}
