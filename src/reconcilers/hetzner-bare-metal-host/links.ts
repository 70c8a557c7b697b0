import {
  keyOf,
  objectKey,
  type Change,
  type Informer,
  type KeyMapper,
  type KubeObject,
  type ObjectKey,
} from '../../kube/index.js';
import { referenceNamespace } from '../shared/own-namespace.js';
import type { BareMetalHostObject, BareMetalMachineObject, HetznerClusterObject } from './types.js';

/** The object and, for an update, how it was before (a moved reference wakes both sides). */
function states<T>(change: Change<T>): T[] {
  return change.previous === undefined ? [change.object] : [change.object, change.previous];
}

function unique(keys: readonly ObjectKey[]): ObjectKey[] {
  return [...new Set(keys)];
}

function sameNamespace(host: BareMetalHostObject, object: KubeObject): boolean {
  return (host.metadata.namespace ?? '') === (object.metadata.namespace ?? '');
}

/** The HetznerCluster a host reads its credentials from (spec.status.hetznerClusterRef). */
function clusterRefOf(host: BareMetalHostObject): string | undefined {
  return host.spec.status?.hetznerClusterRef || undefined;
}

/** The Secrets a HetznerCluster holds the host's credentials, rescue key and registry credentials in. */
function clusterSecrets(cluster: HetznerClusterObject | undefined): string[] {
  if (!cluster) return [];
  const names = [
    cluster.spec.hetznerSecretRef.name,
    cluster.spec.sshKeys.robotRescueSecretRef?.name,
    cluster.spec.ociRegistryAuth?.secretRef.name,
  ];
  return names.filter((name): name is string => Boolean(name));
}

/** Names of the Secrets (host namespace) a host reads: bootstrap data, OS key, cluster secrets. */
function secretsOf(host: BareMetalHostObject, hetznerClusters: Informer<HetznerClusterObject>): string[] {
  const status = host.spec.status;
  const ref = clusterRefOf(host);
  const cluster = ref ? hetznerClusters.store.get(objectKey(host.metadata.namespace, ref)) : undefined;
  const names = [status?.userData?.name, status?.sshSpec?.secretRef.name, ...clusterSecrets(cluster)];
  return names.filter((name): name is string => Boolean(name));
}

/** A Secret change (created, edited, deleted) reconciles the hosts that read it. */
export function secretToHosts(
  hosts: Informer<BareMetalHostObject>,
  hetznerClusters: Informer<HetznerClusterObject>,
): KeyMapper<KubeObject> {
  return (change) =>
    unique(
      states(change).flatMap((secret) =>
        hosts.store
          .list()
          .filter(
            (host) =>
              sameNamespace(host, secret) &&
              secretsOf(host, hetznerClusters).includes(secret.metadata.name ?? ''),
          )
          .map(keyOf),
      ),
    );
}

/** A HetznerCluster change (its Secret references) reconciles the hosts that use it. */
export function hetznerClusterToHosts(hosts: Informer<BareMetalHostObject>): KeyMapper<HetznerClusterObject> {
  return (change) =>
    hosts.store
      .list()
      .filter(
        (host) => sameNamespace(host, change.object) && clusterRefOf(host) === change.object.metadata.name,
      )
      .map(keyOf);
}

/**
 * A HetznerBareMetalMachine change (its deviceStringType, the constant-hostname annotation, its
 * deletion) reconciles the host it consumes.
 */
export function machineToHosts(hosts: Informer<BareMetalHostObject>): KeyMapper<BareMetalMachineObject> {
  return (change) =>
    unique(
      states(change).flatMap((machine) =>
        hosts.store
          .list()
          .filter((host) => {
            const ref = host.spec.consumerRef;
            return (
              ref?.name === machine.metadata.name &&
              host.metadata.namespace === machine.metadata.namespace &&
              referenceNamespace(host.metadata.namespace ?? '', ref?.namespace) !== undefined
            );
          })
          .map(keyOf),
      ),
    );
}
