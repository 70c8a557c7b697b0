import { randomBytes } from 'node:crypto';
import { NAMESPACE_LABEL } from '../../provisioning/index.js';
import type { HetznerClusterObject } from './types.js';

/** CAPH's ownership label key for the cloud resources of a HetznerCluster. */
export function clusterTagKey(object: HetznerClusterObject): string {
  return `caph-cluster-${object.metadata.name ?? ''}`;
}

/**
 * The labels every resource the cluster creates carries from its creation on: CAPH's
 * `caph-cluster-<name>: owned` and the namespace (names alone collide across namespaces, so a
 * cluster never finds, let alone deletes, another namespace's resources).
 */
export function ownerLabels(object: HetznerClusterObject): Record<string, string> {
  return { [clusterTagKey(object)]: 'owned', [NAMESPACE_LABEL]: object.metadata.namespace ?? '' };
}

/** The API's label selector for exactly these labels, e.g. `a==b,c==d`. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}==${value}`)
    .join(',');
}

/** Whether a resource carries every owner label (a listing by selector already promises it). */
export function isOwned(
  labels: Readonly<Record<string, string>>,
  owner: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(owner).every(([key, value]) => labels[key] === value);
}

/** CAPH's network name: the HetznerCluster's. */
export function networkName(object: HetznerClusterObject): string {
  return object.metadata.name ?? '';
}

/** CAPH's placement group name in the project: `<cluster>-<spec name>`. */
export function placementGroupName(object: HetznerClusterObject, specName: string): string {
  return `${object.metadata.name ?? ''}-${specName}`;
}

/** The spec name back from the project's name (status lists spec names, as CAPH's). */
export function placementGroupSpecName(object: HetznerClusterObject, cloudName: string): string {
  const prefix = `${object.metadata.name ?? ''}-`;
  return cloudName.startsWith(prefix) ? cloudName.slice(prefix.length) : cloudName;
}

/**
 * CAPH's generated load balancer name `<cluster>-kube-apiserver-<5 random>`, unless the spec
 * names one; found again by its labels, never by this name.
 */
export function loadBalancerName(object: HetznerClusterObject, random = randomSuffix): string {
  return `${object.metadata.name ?? ''}-kube-apiserver-${random()}`;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
