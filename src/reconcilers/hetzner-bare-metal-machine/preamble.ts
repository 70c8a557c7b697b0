import { CLUSTER_NAME_LABEL, clusterKind, machineKind, type KubeClient } from '../../kube/index.js';
import {
  hetznerClusters,
  type BareMetalMachineObject,
  type ClusterObject,
  type HetznerClusterObject,
  type MachineObject,
} from './types.js';

/** The objects a HetznerBareMetalMachine needs before it claims a host (CAPH's preamble). */
export interface Owners {
  readonly machine: MachineObject;
  readonly cluster: ClusterObject;
  readonly hetznerCluster: HetznerClusterObject;
}

export type PreambleResult =
  | { readonly kind: 'ready'; readonly owners: Owners }
  | { readonly kind: 'waiting'; readonly message: string };

const waiting = (message: string): PreambleResult => ({ kind: 'waiting', message });

/** The Cluster API cluster name of a Machine (spec.clusterName, else its label). */
export function clusterNameOf(machine: MachineObject): string {
  return machine.spec?.clusterName ?? machine.metadata.labels?.[CLUSTER_NAME_LABEL] ?? '';
}

/**
 * Owner Machine (ownerReferences), its Cluster, the HetznerCluster the Cluster's
 * infrastructureRef names, all in the machine's namespace. Each missing one is a wait.
 */
export async function fetchOwners(
  client: KubeClient,
  object: BareMetalMachineObject,
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
  const ref = cluster.spec?.infrastructureRef;
  if (ref?.kind !== 'HetznerCluster' || !ref.name) return 'the Cluster references no HetznerCluster';
  const namespace = cluster.metadata.namespace ?? '';
  const found = await client.find<HetznerClusterObject>(hetznerClusters, namespace, ref.name, signal);
  return found ?? `HetznerCluster ${ref.name} not found`;
}
