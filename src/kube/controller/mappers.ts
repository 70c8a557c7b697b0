import { keyOf, objectKey, type KubeObject, type ObjectKey } from '../client/objects.js';
import type { Change, Informer } from '../informer/informer.js';
import type { KeyMapper } from './watch-source.js';

/** Cluster API's label naming the Cluster an object belongs to. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
/** The index `indexByClusterName` adds: `namespace/clusterName` → objects. */
export const CLUSTER_INDEX = 'cluster-name';

/** The objects of the change, the previous state included, so a moved reference frees its old target. */
function states<T>(change: Change<T>): T[] {
  return change.previous === undefined ? [change.object] : [change.object, change.previous];
}

function unique(keys: readonly ObjectKey[]): ObjectKey[] {
  return [...new Set(keys)];
}

/** A change of the primary kind reconciles the object itself. */
export function toSelf<T extends KubeObject>(): KeyMapper<T> {
  return (change) => [keyOf(change.object)];
}

interface InfrastructureRef {
  readonly kind?: string;
  readonly name?: string;
  /** v1beta1 only; v1beta2 references stay in the Machine's namespace. */
  readonly namespace?: string;
}

interface MachineLike extends KubeObject {
  readonly spec?: { readonly infrastructureRef?: InfrastructureRef };
}

/**
 * A Machine change reconciles the infrastructure object it references when that is of `kind`
 * (reads v1beta1 `{apiVersion, kind, name, namespace}` and v1beta2 `{apiGroup, kind, name}`).
 */
export function toInfrastructureRef(kind: string): KeyMapper<MachineLike> {
  return (change) =>
    unique(
      states(change).flatMap((machine) => {
        const ref = machine.spec?.infrastructureRef;
        if (ref?.kind !== kind || !ref.name) return [];
        return [objectKey(ref.namespace ?? machine.metadata.namespace, ref.name)];
      }),
    );
}

/** An owner change reconciles the objects it controls of the owned kind (ownerReferences). */
export function toOwned<T extends KubeObject>(owned: Informer<T>, ownerKind: string): KeyMapper<KubeObject> {
  return (change) => {
    const uid = change.object.metadata.uid;
    return owned.store
      .list()
      .filter((object) =>
        object.metadata.ownerReferences?.some((ref) => ref.kind === ownerKind && ref.uid === uid),
      )
      .map(keyOf);
  };
}

/**
 * A change of a referenced object (a Secret) reconciles the primary objects indexed under it.
 * `indexName` is an index on the primary informer whose values are `namespace/name` of the
 * referenced object (see ObjectStore.addIndex).
 */
export function toIndexed<T extends KubeObject>(
  primary: Informer<T>,
  indexName: string,
): KeyMapper<KubeObject> {
  return (change) =>
    unique(states(change).flatMap((object) => primary.store.byIndex(indexName, keyOf(object)).map(keyOf)));
}

/** Indexes the primary objects by their Cluster (`namespace/<cluster-name label>`). */
export function indexByClusterName<T extends KubeObject>(primary: Informer<T>): void {
  primary.store.addIndex(CLUSTER_INDEX, (object) => {
    const cluster = object.metadata.labels?.[CLUSTER_NAME_LABEL];
    return cluster ? [objectKey(object.metadata.namespace, cluster)] : [];
  });
}

interface ClusterFacts extends KubeObject {
  readonly spec?: { readonly paused?: boolean; readonly infrastructureRef?: unknown };
}

/** What of a Cluster its members act on: pause (spec or annotation), deletion, infrastructure. */
function clusterFacts(cluster: ClusterFacts | undefined): string {
  if (!cluster) return '';
  const { spec, metadata } = cluster;
  const annotated = metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined;
  return JSON.stringify([
    spec?.paused === true,
    annotated,
    metadata.deletionTimestamp,
    spec?.infrastructureRef,
  ]);
}

/**
 * A Cluster that appears, goes, pauses or unpauses, starts deletion or names another
 * infrastructure object reconciles its members; needs indexByClusterName(primary). Cluster API
 * rewrites the Cluster's status at every step of its machines: those updates are ignored, since
 * a member's reconcile may look at its server in the cloud.
 */
export function toClusterMembers<T extends KubeObject>(primary: Informer<T>): KeyMapper<KubeObject> {
  const members = toIndexed(primary, CLUSTER_INDEX);
  return (change) => {
    const unchanged = clusterFacts(change.previous) === clusterFacts(change.object);
    return change.type === 'modified' && unchanged ? [] : members(change);
  };
}
