import { CAPI_GROUP, CAPI_VERSION } from '../../../api/cluster-api.js';
import { GROUP, VERSION, type KindDefinition } from '../../../api/v1beta1/kind.js';

/** How to reach one kind over the REST API. */
export interface KindRef {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export function apiVersionOf(kind: KindRef): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

function groupPrefix(kind: KindRef): string {
  return kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

/** `/apis/g/v[/namespaces/ns]/plural`; all namespaces when `namespace` is empty. */
export function collectionPath(kind: KindRef, namespace?: string): string {
  const scope = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupPrefix(kind)}${scope}/${kind.plural}`;
}

export function objectPath(kind: KindRef, namespace: string, name: string, subresource?: string): string {
  const path = `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
  return subresource === undefined ? path : `${path}/${subresource}`;
}

/** `Kind ns/name`, for log lines and error messages. */
export function describeObject(kind: KindRef, namespace: string, name: string): string {
  return `${kind.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

export const secretKind: KindRef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
};

export const eventKind: KindRef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
};

export const leaseKind: KindRef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};

/**
 * Cluster API's Machine and Cluster at their storage version (v1beta2 since Cluster API 1.11).
 * The mappers read both the v1beta1 and the v1beta2 shape of the fields they use.
 */
export const machineKind: KindRef = {
  group: CAPI_GROUP,
  version: CAPI_VERSION,
  kind: 'Machine',
  plural: 'machines',
  namespaced: true,
};

export const clusterKind: KindRef = {
  group: CAPI_GROUP,
  version: CAPI_VERSION,
  kind: 'Cluster',
  plural: 'clusters',
  namespaced: true,
};

/** The KindRef of one of imageurl's own kinds (api/v1beta1). */
export function infrastructureKind(definition: Pick<KindDefinition, 'kind' | 'plural'>): KindRef {
  return {
    group: GROUP,
    version: VERSION,
    kind: definition.kind,
    plural: definition.plural,
    namespaced: true,
  };
}
