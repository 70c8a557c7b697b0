import { keyOf, type Informer, type KeyMapper, type KubeObject } from '../../kube/index.js';
import type { BareMetalHostObject } from './types.js';

/** Index on the host cache: the Robot server number each host names. */
const SERVER_INDEX = 'robot-server';

const serverOf = (host: KubeObject): string => String((host as BareMetalHostObject).spec.serverID);

/** Adds the Robot-server index to the host cache. */
export function indexByServer(hosts: Informer<BareMetalHostObject>): void {
  hosts.store.addIndex(SERVER_INDEX, (host) => [serverOf(host)]);
}

/** Oldest first; hosts created in the same second by namespace/name, so every reader agrees. */
function byAge(a: BareMetalHostObject, b: BareMetalHostObject): number {
  const [left, right] = [a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''];
  if (left !== right) return left < right ? -1 : 1;
  return keyOf(a) < keyOf(b) ? -1 : 1;
}

/**
 * The host (`namespace/name`) a Robot server belongs to when it is not `host`: a server belongs
 * to the first HetznerBareMetalHost that named it, so a host created later, in any namespace,
 * never reaches a server somebody else's host provisions (Robot servers carry no labels that
 * could say whose they are).
 */
export function earlierHostOfServer(
  host: BareMetalHostObject,
  hosts: Informer<BareMetalHostObject>,
): string | undefined {
  const first = hosts.store.byIndex(SERVER_INDEX, serverOf(host)).sort(byAge)[0];
  return first === undefined || keyOf(first) === keyOf(host) ? undefined : keyOf(first);
}

/** A host created, changed or deleted reconciles every host naming the same Robot server. */
export function hostToSameServerHosts(hosts: Informer<BareMetalHostObject>): KeyMapper<KubeObject> {
  return (change) => {
    const changed = change.previous ? [change.object, change.previous] : [change.object];
    const keys = changed.flatMap((host) => hosts.store.byIndex(SERVER_INDEX, serverOf(host)).map(keyOf));
    return [...new Set(keys)];
  };
}
