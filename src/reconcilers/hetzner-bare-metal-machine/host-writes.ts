import { isKubeError, type KubeClient } from '../../kube/index.js';
import { bareMetalHosts, type BareMetalHostObject } from './types.js';

/** A host write: the host as written, or `conflict` when it changed (or went) since it was read. */
export type HostWrite = BareMetalHostObject | 'conflict';

/**
 * Writes `changes` (a JSON merge patch of metadata and spec) to the host, conditional on the
 * resourceVersion it was read at: a host someone else changed meanwhile (another machine
 * claimed it, the host controller moved it on) is never overwritten; the caller reads again.
 */
export async function writeHost(
  client: KubeClient,
  host: BareMetalHostObject,
  changes: { readonly metadata?: object; readonly spec?: object },
  signal?: AbortSignal,
): Promise<HostWrite> {
  const target = { namespace: host.metadata.namespace ?? '', name: host.metadata.name ?? '' };
  const patch = {
    ...changes,
    metadata: { ...changes.metadata, resourceVersion: host.metadata.resourceVersion },
  };
  try {
    return await client.mergePatch<BareMetalHostObject>(
      bareMetalHosts,
      target,
      patch,
      signal ? { signal } : {},
    );
  } catch (error) {
    if (isKubeError(error, 'KUBE_CONFLICT', 'KUBE_NOT_FOUND')) return 'conflict';
    throw error;
  }
}

/** Whether a patch part has anything in it. */
export function isEmpty(part: object): boolean {
  return Object.keys(part).length === 0;
}
