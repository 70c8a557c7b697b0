import { clusterKind, infrastructureKind, machineKind, type KubeClient } from '../../kube/index.js';
import { hetznerClusterKind } from '../../../api/v1beta1/index.js';
import type { ClusterObject, HCloudMachineObject, HetznerClusterObject, MachineObject } from './types.js';

export const hetznerClusters = infrastructureKind(hetznerClusterKind);

/** The objects an HCloudMachine needs before anything is provisioned (CAPH's preamble). */
export interface Owners {
  readonly machine: MachineObject;
  readonly cluster: ClusterObject;
  readonly hetznerCluster: HetznerClusterObject;
}

export type PreambleResult =
  | { readonly kind: 'ready'; readonly owners: Owners }
  | { readonly kind: 'waiting'; readonly message: string };

const waiting = (message: string): PreambleResult => ({ kind: 'waiting', message });

/**
 * Owner Machine (ownerReferences), its Cluster, the HetznerCluster the Cluster's
 * infrastructureRef names. Each missing one is a wait: a watch brings the object back.
 */
export async function fetchOwners(
  client: KubeClient,
  object: HCloudMachineObject,
  signal?: AbortSignal,
): Promise<PreambleResult> {
  const namespace = object.metadata.namespace ?? '';
  const ownerRef = object.metadata.ownerReferences?.find((ref) => ref.kind === 'Machine');
  if (!ownerRef) return waiting('Machine Controller has not yet set OwnerRef');
  const machine = await client.find<MachineObject>(machineKind, namespace, ownerRef.name, signal);
  if (!machine) return waiting(`owner Machine ${ownerRef.name} not found`);
  const cluster = await clusterOf(client, machine, signal);
  if (typeof cluster === 'string') return waiting(cluster);
  const hetznerCluster = await hetznerClusterOf(client, cluster, signal);
  if (typeof hetznerCluster === 'string') return waiting(hetznerCluster);
  return { kind: 'ready', owners: { machine, cluster, hetznerCluster } };
}

async function clusterOf(
  client: KubeClient,
  machine: MachineObject,
  signal?: AbortSignal,
): Promise<ClusterObject | string> {
  const name = machine.spec?.clusterName ?? machine.metadata.labels?.['cluster.x-k8s.io/cluster-name'] ?? '';
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
  const ref = cluster.spec?.infrastructureRef;
  if (ref?.kind !== 'HetznerCluster' || !ref.name) return 'the Cluster references no HetznerCluster';
  const namespace = cluster.metadata.namespace ?? '';
  const found = await client.find<HetznerClusterObject>(hetznerClusters, namespace, ref.name, signal);
  return found ?? `HetznerCluster ${ref.name} not found`;
}
