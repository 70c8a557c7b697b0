import type { HostStatus } from '../../baremetal/index.js';
import type { KubeClient, Scope } from '../../kube/index.js';
import { hostStateAnnotationOf, ownedSpecStatus, readHostStatus } from './status-mapping.js';
import { bareMetalHosts, HOST_STATE_ANNOTATION, type BareMetalHostObject } from './types.js';

function lacksClusterRef(object: BareMetalHostObject): boolean {
  return object.spec.status?.hetznerClusterRef === undefined;
}

/**
 * Persists what the core returned: the fields of spec.status this controller owns (CAPH keeps
 * the host's status in its spec) and the bookkeeping annotation, with one merge patch and only
 * when something changed. Not conditional on the resourceVersion: the patch names only our own
 * fields, so the machine's writes (installImage, userData, sshSpec, consumerRef) are never
 * overwritten, and what the Robot and SSH steps did is never dropped for a conflict.
 */
export async function persistHostStatus(
  client: KubeClient,
  scope: Scope<BareMetalHostObject>,
  status: HostStatus,
): Promise<void> {
  const { object } = scope;
  const annotation = hostStateAnnotationOf(status);
  const owned = ownedSpecStatus(status);
  const annotationChanged = object.metadata.annotations?.[HOST_STATE_ANNOTATION] !== annotation;
  const statusChanged = JSON.stringify(owned) !== JSON.stringify(ownedSpecStatus(readHostStatus(object)));
  if (!annotationChanged && !statusChanged) return;
  // The CRD requires hetznerClusterRef; a host nobody claimed has none: write '' then, but only
  // on the version read, so a machine's claim made meanwhile is never overwritten (409 → retry).
  const unreferenced = statusChanged && lacksClusterRef(object);
  const patch = {
    metadata: {
      annotations: { [HOST_STATE_ANNOTATION]: annotation },
      ...(unreferenced ? { resourceVersion: object.metadata.resourceVersion } : {}),
    },
    ...(statusChanged
      ? { spec: { status: { ...owned, ...(unreferenced ? { hetznerClusterRef: '' } : {}) } } }
      : {}),
  };
  const target = { namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
  await client.mergePatch(bareMetalHosts, target, patch, { signal: scope.context.signal });
}
