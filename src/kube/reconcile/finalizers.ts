import { isKubeError } from '../client/errors.js';
import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import { nameOf, type KubeObject, type ObjectName } from '../client/objects.js';

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}

interface FinalizerChange<T extends KubeObject> {
  readonly client: KubeClient;
  readonly kind: KindRef;
  readonly object: T;
  readonly finalizer: string;
  readonly signal?: AbortSignal;
}

const ATTEMPTS = 5;

/**
 * Sets the finalizer list with a merge patch conditional on the resourceVersion (a merge patch
 * replaces the whole list, so an unconditional one could drop another controller's finalizer).
 * On 409 re-reads and recomputes. Returns the updated object, or undefined if it is gone.
 */
async function changeFinalizers<T extends KubeObject>(
  change: FinalizerChange<T>,
  edit: (finalizers: readonly string[]) => string[] | undefined,
): Promise<T | undefined> {
  const target = nameOf(change.object);
  let current: T | undefined = change.object;
  for (let attempt = 1; current; attempt++) {
    const finalizers = edit(current.metadata.finalizers ?? []);
    if (!finalizers) return current;
    const patch = { metadata: { finalizers, resourceVersion: current.metadata.resourceVersion } };
    const outcome = await patchOrConflict<T>(change, target, patch, attempt);
    if (outcome !== 'conflict') return outcome;
    current = await change.client.find<T>(change.kind, target.namespace, target.name, change.signal);
  }
  return undefined;
}

/** The patched object, undefined if gone, 'conflict' to re-read and retry (until ATTEMPTS). */
async function patchOrConflict<T extends KubeObject>(
  change: FinalizerChange<T>,
  target: ObjectName,
  patch: object,
  attempt: number,
): Promise<T | undefined | 'conflict'> {
  try {
    return await change.client.mergePatch<T>(
      change.kind,
      target,
      patch,
      change.signal ? { signal: change.signal } : {},
    );
  } catch (error) {
    if (isKubeError(error, 'KUBE_NOT_FOUND')) return undefined;
    if (isKubeError(error, 'KUBE_CONFLICT') && attempt < ATTEMPTS) return 'conflict';
    throw error;
  }
}

export async function addFinalizer<T extends KubeObject>(change: FinalizerChange<T>): Promise<T | undefined> {
  return changeFinalizers(change, (list) =>
    list.includes(change.finalizer) ? undefined : [...list, change.finalizer],
  );
}

export async function removeFinalizer<T extends KubeObject>(
  change: FinalizerChange<T>,
): Promise<T | undefined> {
  return changeFinalizers(change, (list) =>
    list.includes(change.finalizer) ? list.filter((item) => item !== change.finalizer) : undefined,
  );
}
