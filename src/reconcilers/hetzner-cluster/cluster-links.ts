import { CAPI_GROUP } from '../../../api/cluster-api.js';
import {
  CLUSTER_NAME_LABEL,
  keyOf,
  objectKey,
  PAUSED_ANNOTATION,
  type Change,
  type Informer,
  type KeyMapper,
  type KubeObject,
  type ObjectKey,
} from '../../kube/index.js';
import { hetznerClusters, referencedName } from '../shared/kinds.js';
import type { ClusterObject, HetznerClusterObject } from './types.js';

/** The caches the links are read from. */
export interface LinkCaches {
  readonly hetznerClusters: Informer<HetznerClusterObject>;
  readonly clusters: Informer<ClusterObject>;
}

function namesHetznerCluster(cluster: ClusterObject, name: string): boolean {
  return referencedName(cluster.spec?.infrastructureRef, hetznerClusters) === name;
}

/**
 * The name of the Cluster API Cluster a HetznerCluster belongs to: its owner reference (set by
 * Cluster API), else its cluster-name label, else a Cluster whose infrastructureRef names it.
 */
export function clusterNameOf(object: HetznerClusterObject, caches: LinkCaches): string | undefined {
  const owner = object.metadata.ownerReferences?.find(
    (ref) => ref.kind === 'Cluster' && ref.apiVersion.startsWith(`${CAPI_GROUP}/`),
  );
  if (owner) return owner.name;
  const label = object.metadata.labels?.[CLUSTER_NAME_LABEL];
  if (label) return label;
  const namespace = object.metadata.namespace;
  const name = object.metadata.name ?? '';
  return caches.clusters.store
    .list()
    .find((cluster) => cluster.metadata.namespace === namespace && namesHetznerCluster(cluster, name))
    ?.metadata.name;
}

/** The Cluster of `object` from the cache, if it is known and cached. */
export function clusterOf(object: HetznerClusterObject, caches: LinkCaches): ClusterObject | undefined {
  const name = clusterNameOf(object, caches);
  return name ? caches.clusters.store.get(objectKey(object.metadata.namespace, name)) : undefined;
}

/** Why the Cluster pauses reconciliation (CAPI's IsPaused on the Cluster side), or undefined. */
export function pausedByCluster(cluster: ClusterObject | undefined): string | undefined {
  if (!cluster) return undefined;
  const name = cluster.metadata.name ?? '';
  if (cluster.spec?.paused === true) return `Cluster ${name} spec.paused`;
  const annotated = cluster.metadata.annotations?.[PAUSED_ANNOTATION] !== undefined;
  return annotated ? `annotation ${PAUSED_ANNOTATION} on Cluster ${name}` : undefined;
}

/** The keys of the HetznerClusters that belong to Cluster `namespace/clusterName`. */
export function hetznerClustersOf(namespace: string, clusterName: string, caches: LinkCaches): ObjectKey[] {
  const keys = new Set<ObjectKey>();
  const ref = caches.clusters.store.get(objectKey(namespace, clusterName))?.spec?.infrastructureRef;
  const referenced = referencedName(ref, hetznerClusters);
  if (referenced !== undefined) keys.add(objectKey(namespace, referenced));
  for (const object of caches.hetznerClusters.store.list()) {
    if (object.metadata.namespace !== namespace) continue;
    if (clusterNameOf(object, caches) === clusterName) keys.add(keyOf(object));
  }
  return [...keys];
}

function states<T>(change: Change<T>): T[] {
  return change.previous === undefined ? [change.object] : [change.object, change.previous];
}

/** What of a Cluster the HetznerCluster acts on: whether it pauses it, and which one it names. */
function clusterFacts(cluster: ClusterObject | undefined): string {
  if (!cluster) return '';
  return JSON.stringify([pausedByCluster(cluster), cluster.spec?.infrastructureRef]);
}

/**
 * A Cluster that appears, goes, pauses or unpauses, or names another infrastructure object
 * reconciles its HetznerClusters. Cluster API rewrites the Cluster's status at every step of its
 * machines; those updates are ignored, since each reconcile reads the cloud's load balancer and
 * placement groups.
 */
export function clusterToHetznerClusters(caches: LinkCaches): KeyMapper<ClusterObject> {
  return (change) => {
    if (change.type === 'modified' && clusterFacts(change.previous) === clusterFacts(change.object))
      return [];
    const keys = new Set<ObjectKey>();
    for (const cluster of states(change)) {
      const referenced = referencedName(cluster.spec?.infrastructureRef, hetznerClusters);
      if (referenced !== undefined) keys.add(objectKey(cluster.metadata.namespace, referenced));
      const name = cluster.metadata.name ?? '';
      for (const key of hetznerClustersOf(cluster.metadata.namespace ?? '', name, caches)) keys.add(key);
    }
    return [...keys];
  };
}

/** What of a machine the cluster acts on: its server (a load balancer target) and its deletion. */
function targetFacts(machine: KubeObject | undefined): string {
  const providerID = (machine as { spec?: { providerID?: string } } | undefined)?.spec?.providerID ?? '';
  return `${providerID}|${machine?.metadata.deletionTimestamp ?? ''}`;
}

/**
 * A machine that appears or goes away reconciles its cluster's HetznerClusters (deletion waits
 * for the machines; robot credentials are checked once bare-metal machines exist), and so does
 * one whose server or deletion changed (load balancer targets). Other updates are ignored: a
 * machine's progress says nothing new to the cluster.
 */
export function machineToHetznerClusters(caches: LinkCaches): KeyMapper<KubeObject> {
  return (change) => {
    if (change.type === 'modified' && targetFacts(change.previous) === targetFacts(change.object)) return [];
    const clusterName = change.object.metadata.labels?.[CLUSTER_NAME_LABEL];
    if (!clusterName) return [];
    return hetznerClustersOf(change.object.metadata.namespace ?? '', clusterName, caches);
  };
}

/** The machines in `informer` that belong to Cluster `namespace/clusterName` (by label). */
export function machinesOf(
  informer: Informer<KubeObject>,
  namespace: string,
  clusterName: string,
): KubeObject[] {
  return informer.store
    .list()
    .filter(
      (machine) =>
        machine.metadata.namespace === namespace &&
        machine.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName,
    );
}
