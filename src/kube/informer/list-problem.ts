import { CAPI_GROUP } from '../../../api/cluster-api.js';
import { isKubeError } from '../client/errors.js';
import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';

/** The Cluster API release that first serves the version imageurl reads (v1beta2). */
const CAPI_RELEASE = 'v1.11';

/**
 * What a failed list or watch of `kind` means, in words an operator acts on: the apiserver not
 * answering (the same words for every kind, so one line covers all of them), a CRD not installed,
 * an API version not served, no permission. Asks discovery to tell the 404s apart.
 */
export async function describeListFailure(
  client: KubeClient,
  kind: KindRef,
  error: unknown,
  signal: AbortSignal,
): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  if (isKubeError(error, 'KUBE_UNREACHABLE', 'KUBE_TIMEOUT'))
    return `Apiserver ${client.transport.server} not answering (${error.code})`;
  const crd = `CRD ${kind.plural}.${kind.group}`;
  if (isKubeError(error, 'KUBE_FORBIDDEN')) return `${crd}: no permission to list or watch (${message})`;
  if (!isKubeError(error, 'KUBE_NOT_FOUND') || kind.group === '') return message;
  const served = await servedVersions(client, kind.group, signal);
  if (served === undefined || served.includes(kind.version)) return `${crd}: not installed`;
  const install =
    kind.group === CAPI_GROUP ? `install Cluster API ≥ ${CAPI_RELEASE}` : 'install the CRDs of this release';
  return `${kind.group}/${kind.version} not served (served: ${served.join(', ') || 'none'}) — ${install}`;
}

/** The versions discovery lists for `group`; undefined when the group is not there at all. */
async function servedVersions(
  client: KubeClient,
  group: string,
  signal: AbortSignal,
): Promise<string[] | undefined> {
  try {
    const found = await client.transport.json<{ versions?: { version: string }[] }>({
      method: 'GET',
      path: `/apis/${group}`,
      signal,
    });
    return (found.versions ?? []).map((entry) => entry.version);
  } catch {
    return undefined;
  }
}
