import { DELETE_FOR_MOVE_ANNOTATION } from '../../../api/cluster-api.js';
import { objectKey, type KubeObject } from '../client/objects.js';
import { CLUSTER_NAME_LABEL } from '../controller/mappers.js';
import type { Informer } from '../informer/informer.js';

/** Cluster API's pause annotation (on the object itself, or on its Cluster). */
export const PAUSED_ANNOTATION = 'cluster.x-k8s.io/paused';

export interface ClusterLike extends KubeObject {
  readonly spec?: { readonly paused?: boolean };
}

/** The Cluster an object belongs to by its cluster-name label, from the Cluster cache. */
export function clusterOf(
  object: KubeObject,
  clusters: Informer<ClusterLike> | undefined,
): ClusterLike | undefined {
  const name = object.metadata.labels?.[CLUSTER_NAME_LABEL];
  return name && clusters ? clusters.store.get(objectKey(object.metadata.namespace, name)) : undefined;
}

/**
 * Why reconciliation is paused, or undefined: CAPI's `IsPaused(cluster, object)`, and an object
 * clusterctl move is deleting here because it lives on in another management cluster (nothing
 * may act on its servers from here, and the move took its bookkeeping).
 */
export function pausedBy(object: KubeObject, cluster: ClusterLike | undefined): string | undefined {
  if (hasPausedAnnotation(object)) return `annotation ${PAUSED_ANNOTATION}`;
  if (object.metadata.annotations?.[DELETE_FOR_MOVE_ANNOTATION] !== undefined)
    return `annotation ${DELETE_FOR_MOVE_ANNOTATION}`;
  if (!cluster) return undefined;
  const name = cluster.metadata.name ?? '';
  if (cluster.spec?.paused === true) return `Cluster ${name} spec.paused`;
  return hasPausedAnnotation(cluster) ? `annotation ${PAUSED_ANNOTATION} on Cluster ${name}` : undefined;
}

function hasPausedAnnotation(object: KubeObject): boolean {
  return object.metadata.annotations?.[PAUSED_ANNOTATION] !== undefined;
}
