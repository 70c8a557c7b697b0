import { keyOf, secretKind, type Informer, type KubeClient, type KubeObject } from '../../kube/index.js';
// The runtime's conditional finalizer edit, used here on Secrets (src/kube exports it only for the reconciler).
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../kube/reconcile/finalizers.js';
import { referencedSecrets } from './secret-links.js';
import {
  DEPRECATED_SECRET_FINALIZER,
  SECRET_FINALIZER,
  type HetznerClusterObject,
  type SecretObject,
} from './types.js';

type FinalizerChange = Parameters<typeof removeFinalizer<KubeObject>>[0];

/**
 * Keeps the credentials Secret while a HetznerCluster uses it (CAPH's `caph-secret` finalizer):
 * deleting a namespace must not take the token away before the HCloudMachines deleted their
 * servers with it.
 */
export async function claimSecret(
  client: KubeClient,
  secret: SecretObject,
  signal?: AbortSignal,
): Promise<void> {
  // The apiserver refuses new finalizers on an object being deleted.
  if (hasFinalizer(secret, SECRET_FINALIZER) || secret.metadata.deletionTimestamp) return;
  const change = { client, kind: secretKind, object: secret, finalizer: SECRET_FINALIZER };
  await addFinalizer(signal ? { ...change, signal } : change);
}

export interface Release {
  readonly client: KubeClient;
  readonly secrets: Informer<SecretObject>;
  readonly hetznerClusters: Informer<HetznerClusterObject>;
  readonly namespace: string;
  /** The HetznerCluster whose deletion is done: its references no longer count. */
  readonly except?: HetznerClusterObject;
  readonly signal?: AbortSignal;
}

function inUse(release: Release): Set<string> {
  const used = new Set<string>();
  for (const object of release.hetznerClusters.store.list()) {
    // A HetznerCluster being deleted still counts: it waits for its machines, which need the token.
    const counts = object.metadata.uid !== release.except?.metadata.uid;
    if (counts && object.metadata.namespace === release.namespace) {
      for (const key of referencedSecrets(object)) used.add(key);
    }
  }
  return used;
}

/**
 * Removes the finalizer (both spellings) from every Secret of the namespace that carries it and
 * that no other HetznerCluster references any more (the cluster was deleted, or now names another
 * Secret). Returns the names of the Secrets released.
 */
export async function releaseUnusedSecrets(release: Release): Promise<string[]> {
  const used = inUse(release);
  const released: string[] = [];
  for (const secret of release.secrets.store.list()) {
    if (secret.metadata.namespace !== release.namespace || used.has(keyOf(secret))) continue;
    const ours = [SECRET_FINALIZER, DEPRECATED_SECRET_FINALIZER].filter((f) => hasFinalizer(secret, f));
    let current: KubeObject | undefined = secret;
    for (const finalizer of ours) {
      if (!current) break;
      const change: FinalizerChange = {
        client: release.client,
        kind: secretKind,
        object: current,
        finalizer,
      };
      current = await removeFinalizer(release.signal ? { ...change, signal: release.signal } : change);
    }
    if (ours.length > 0) released.push(secret.metadata.name ?? '');
  }
  return released;
}
