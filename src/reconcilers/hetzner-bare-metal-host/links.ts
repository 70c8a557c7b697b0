import {
  keyOf,
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
