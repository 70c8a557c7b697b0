import {
  objectKey,
  secretKind,
  splitKey,
  type Informer,
  type KubeClient,
  type KubeObject,
} from '../../kube/index.js';
// The runtime's conditional finalizer edit, used here on Secrets (src/kube exports it only for the reconciler).
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../kube/reconcile/finalizers.js';
import type { SecretLookup } from '../shared/secret-reads.js';
import { referencedSecrets } from './secret-links.js';
import {
  DEPRECATED_SECRET_FINALIZER,
  SECRET_FINALIZER,
  hetznerClusters as hetznerClustersKind,
  type HetznerClusterObject,
  type SecretObject,
} from './types.js';

type FinalizerChange = Parameters<typeof removeFinalizer<KubeObject>>[0];

/**
 * The credentials Secret this HetznerCluster put its finalizer on. Secrets are never listed, so
 * this is how a Secret the cluster no longer names is found again to be released. Anyone who may
 * edit the HetznerCluster can change it; the most that does is release the finalizer on a Secret
 * of the same namespace that no HetznerCluster names.
 */
export const CLAIMED_SECRET_ANNOTATION = 'imageurl.io/claimed-secret';

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
  readonly secrets: SecretLookup;
  readonly hetznerClusters: Informer<HetznerClusterObject>;
  /** The HetznerCluster whose Secrets are released. */
  readonly object: HetznerClusterObject;
  /** Its deletion is done: its own references no longer count. */
  readonly deleting?: boolean;
  readonly signal?: AbortSignal;
}

function inUse(release: Release): Set<string> {
  const used = new Set<string>();
  const { namespace, uid } = release.object.metadata;
  for (const object of release.hetznerClusters.store.list()) {
    // A HetznerCluster being deleted still counts: it waits for its machines, which need the token.
    const counts = !release.deleting || object.metadata.uid !== uid;
    if (counts && object.metadata.namespace === namespace) {
      for (const key of referencedSecrets(object)) used.add(key);
    }
  }
  if (!release.deleting) for (const key of referencedSecrets(release.object)) used.add(key);
  return used;
}

/** The Secrets the cluster may hold a finalizer on: the one it recorded and, when deleting, the ones it names. */
function candidates(release: Release): string[] {
  const { object } = release;
  const recorded = object.metadata.annotations?.[CLAIMED_SECRET_ANNOTATION];
  const named = release.deleting ? referencedSecrets(object).map((key) => splitKey(key).name) : [];
  return [...new Set([recorded, ...named].filter((name): name is string => Boolean(name)))];
}

async function releaseOne(release: Release, secret: SecretObject): Promise<boolean> {
  const ours = [SECRET_FINALIZER, DEPRECATED_SECRET_FINALIZER].filter((f) => hasFinalizer(secret, f));
  let current: KubeObject | undefined = secret;
  for (const finalizer of ours) {
    if (!current) break;
    const change: FinalizerChange = { client: release.client, kind: secretKind, object: current, finalizer };
    current = await removeFinalizer(release.signal ? { ...change, signal: release.signal } : change);
  }
  return ours.length > 0;
}

/**
 * Removes the finalizer (both spellings) from the Secrets this cluster claimed that no
 * HetznerCluster of the namespace names any more (the cluster was deleted, or now names another
 * Secret). Each is read by name. Returns the names of the Secrets released.
 */
export async function releaseUnusedSecrets(release: Release): Promise<string[]> {
  const used = inUse(release);
  const namespace = release.object.metadata.namespace ?? '';
  const released: string[] = [];
  for (const name of candidates(release)) {
    if (used.has(objectKey(namespace, name))) continue;
    const secret = await release.secrets(namespace, name, release.signal);
    if (secret && (await releaseOne(release, secret))) released.push(name);
  }
  return released;
}

/** Records the claimed Secret on the HetznerCluster (a merge patch of that one annotation), when it changed. */
export async function recordClaim(
  client: KubeClient,
  object: HetznerClusterObject,
  claimed: string | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (object.metadata.annotations?.[CLAIMED_SECRET_ANNOTATION] === claimed) return;
  const patch = { metadata: { annotations: { [CLAIMED_SECRET_ANNOTATION]: claimed ?? null } } };
  const target = { namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
  await client.mergePatch(hetznerClustersKind, target, patch, signal ? { signal } : {});
}
