import {
  CLUSTER_NAME_LABEL,
  clusterKind,
  machineKind,
  type KubeClient,
  type KubeObject,
} from '../../kube/index.js';
import { hetznerClusters, referencedName } from './kinds.js';
import type { HetznerClusterObject } from './objects.js';

/**
 * CAPH's preamble, shared by the HCloudMachine and HetznerBareMetalMachine reconcilers: both
 * need the same three objects before they act, and both wait the same way when one is missing.
 */

export type { HetznerClusterObject };

export interface ClusterObject extends KubeObject {
  spec?: {
    paused?: boolean;
    infrastructureRef?: { apiGroup?: string; apiVersion?: string; kind?: string; name?: string };
  };
}

/** The least a Machine must have here; each reconciler reads more fields of its own. */
export interface OwnerMachine extends KubeObject {
  spec?: { clusterName?: string };
}

export interface Owners<M extends OwnerMachine> {
  readonly machine: M;
  readonly cluster: ClusterObject;
  readonly hetznerCluster: HetznerClusterObject;
}

export type PreambleResult<M extends OwnerMachine> =
  | { readonly kind: 'ready'; readonly owners: Owners<M> }
  | { readonly kind: 'waiting'; readonly message: string };

/** The Cluster API cluster name of a Machine (spec.clusterName, else its label). */
export function clusterNameOf(machine: OwnerMachine): string {
  return machine.spec?.clusterName ?? machine.metadata.labels?.[CLUSTER_NAME_LABEL] ?? '';
}

/**
 * Owner Machine (ownerReferences), its Cluster, the HetznerCluster the Cluster's
 * infrastructureRef names, all in the object's namespace. Each missing one is a wait: a watch
 * brings the object back. `M` is the caller's view of the Machine (the read is not checked).
 */
export async function fetchOwners<M extends OwnerMachine>(
  client: KubeClient,
  object: KubeObject,
  signal?: AbortSignal,
): Promise<PreambleResult<M>> {
  const namespace = object.metadata.namespace ?? '';
  const ownerRef = object.metadata.ownerReferences?.find((ref) => ref.kind === 'Machine');
  if (!ownerRef) return waiting('Machine Controller has not yet set OwnerRef');
  const machine = await client.find<M>(machineKind, namespace, ownerRef.name, signal);
  if (!machine) return waiting(`owner Machine ${ownerRef.name} not found`);
  const cluster = await clusterOf(client, machine, signal);
  if (typeof cluster === 'string') return waiting(cluster);
  const hetznerCluster = await hetznerClusterOf(client, cluster, signal);
  if (typeof hetznerCluster === 'string') return waiting(hetznerCluster);
  return { kind: 'ready', owners: { machine, cluster, hetznerCluster } };
}

function waiting(message: string): { readonly kind: 'waiting'; readonly message: string } {
  return { kind: 'waiting', message };
}

async function clusterOf(
  client: KubeClient,
  machine: OwnerMachine,
  signal?: AbortSignal,
): Promise<ClusterObject | string> {
  const name = clusterNameOf(machine);
  if (name === '') return 'the Machine names no Cluster';
  const namespace = machine.metadata.namespace ?? '';
  return (
    (await client.find<ClusterObject>(clusterKind, namespace, name, signal)) ?? `Cluster ${name} not found`
  );
}

async function hetznerClusterOf(
  client: KubeClient,
  cluster: ClusterObject,
  signal?: AbortSignal,
): Promise<HetznerClusterObject | string> {
  const name = referencedName(cluster.spec?.infrastructureRef, hetznerClusters);
  if (name === undefined) return 'the Cluster references no HetznerCluster';
  const namespace = cluster.metadata.namespace ?? '';
  const found = await client.find<HetznerClusterObject>(hetznerClusters, namespace, name, signal);
  return found ?? `HetznerCluster ${name} not found`;
}
