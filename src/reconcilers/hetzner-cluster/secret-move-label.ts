import { CLUSTERCTL_MOVE_LABEL } from '../../../api/cluster-api.js';
import { secretKind, type KubeClient } from '../../kube/index.js';
import type { SecretObject } from './types.js';

export { CLUSTERCTL_MOVE_LABEL };

/**
 * Labels a Secret the cluster names so `clusterctl move` takes it along: users name their own
 * Secrets (`hetzner`, `hetzner-ssh`), which no Cluster owns, so without the label the moved
 * machines would find no token or rescue key in the new management cluster. A merge patch of the
 * one label, only when it is missing; a Secret being deleted is left alone.
 */
export async function labelForMove(
  client: KubeClient,
  secret: SecretObject,
  signal?: AbortSignal,
): Promise<boolean> {
  if (secret.metadata.labels?.[CLUSTERCTL_MOVE_LABEL] !== undefined || secret.metadata.deletionTimestamp)
    return false;
  const target = { namespace: secret.metadata.namespace ?? '', name: secret.metadata.name ?? '' };
  const patch = { metadata: { labels: { [CLUSTERCTL_MOVE_LABEL]: '' } } };
  await client.mergePatch(secretKind, target, patch, signal ? { signal } : {});
  return true;
}
