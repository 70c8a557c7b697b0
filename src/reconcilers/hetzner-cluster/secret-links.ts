import {
  objectKey,
  toIndexed,
  type Informer,
  type KeyMapper,
  type KubeObject,
  type ObjectKey,
} from '../../kube/index.js';
import type { HetznerClusterObject, SecretObject } from './types.js';

/** Index on the HetznerCluster cache: `namespace/secretName` of every Secret it references. */
export const SECRET_INDEX = 'referenced-secrets';

/** The Secrets a HetznerCluster reads: the Hetzner credentials and the rescue SSH key. */
export function referencedSecrets(object: HetznerClusterObject): ObjectKey[] {
  const namespace = object.metadata.namespace;
  const names = [object.spec.hetznerSecretRef.name, object.spec.sshKeys.robotRescueSecretRef?.name];
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

/** What a Secret holds under one key: `missing` Secret, `empty` value, or the decoded value. */
export type SecretValue =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'found'; readonly value: string };

/** Reads one key of a cached Secret (data is base64, as the API serves it). */
export function secretValue(secret: SecretObject | undefined, key: string): SecretValue {
  if (!secret) return { kind: 'missing' };
  const raw = secret.data?.[key];
  const value = raw === undefined ? '' : Buffer.from(raw, 'base64').toString('utf8');
  return value.trim() === '' ? { kind: 'empty' } : { kind: 'found', value };
}
