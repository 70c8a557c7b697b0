import {
  objectKey,
  toIndexed,
  type Informer,
  type KeyMapper,
  type KubeObject,
  type ObjectKey,
} from '../../kube/index.js';
import type { HetznerClusterObject } from './types.js';

/** Index on the HetznerCluster cache: `namespace/secretName` of every Secret it references. */
export const SECRET_INDEX = 'referenced-secrets';

/** The Secrets a HetznerCluster reads: the Hetzner credentials, the rescue SSH key, the registry's. */
export function referencedSecrets(object: HetznerClusterObject): ObjectKey[] {
  const namespace = object.metadata.namespace;
  const names = [
    object.spec.hetznerSecretRef.name,
    object.spec.sshKeys.robotRescueSecretRef?.name,
    object.spec.ociRegistryAuth?.secretRef.name,
  ];
  return [...new Set(names.filter((name): name is string => Boolean(name)))].map((name) =>
    objectKey(namespace, name),
  );
}

/** Adds SECRET_INDEX to the HetznerCluster cache. */
export function indexBySecret(hetznerClusters: Informer<HetznerClusterObject>): void {
  hetznerClusters.store.addIndex(SECRET_INDEX, referencedSecrets);
}

/** A Secret change (created, edited, deleted) reconciles the HetznerClusters that reference it. */
export function secretToHetznerClusters(
  hetznerClusters: Informer<HetznerClusterObject>,
): KeyMapper<KubeObject> {
  return toIndexed(hetznerClusters, SECRET_INDEX);
}
