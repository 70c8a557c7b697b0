import { objectKey, type ObjectKey } from '../../kube/index.js';
import type { HetznerClusterObject } from './types.js';

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
