import { isKubeError, KubeApiError } from '../client/errors.js';
import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import { nameOf, type KubeObject, type ObjectName } from '../client/objects.js';
import { createMergePatch, deepEqual, patchPaths, valueAt, type JsonObject } from './merge-patch.js';

export interface StatusPatchInput<T extends KubeObject> {
  readonly client: KubeClient;
  readonly kind: KindRef;
  /** The object the reconcile started from (its status and resourceVersion are the base). */
  readonly original: T;
  /** The status the reconcile wants. */
  readonly desired: object;
  readonly signal?: AbortSignal;
  /** Called for every 409 Conflict (metrics). */
  readonly onConflict?: () => void;
  /** Attempts before giving up on conflicts. Default 5. */
  readonly maxAttempts?: number;
}

export type StatusPatchOutcome<T> =
  /** Nothing to write, or written: `object` is the apiserver's answer (or the original). */
  | { readonly kind: 'patched' | 'unchanged'; readonly object: T }
  /** Another writer changed a field this reconcile changes too: reconcile again from fresh state. */
  | { readonly kind: 'contended'; readonly paths: readonly string[] }
  /** The object was deleted meanwhile. */
  | { readonly kind: 'gone' };

function statusOf(object: KubeObject): JsonObject {
  return (object as { status?: JsonObject }).status ?? {};
}

/**
 * Writes the reconcile's status changes as a minimal merge patch on the status subresource,
 * conditional on the resourceVersion it started from (so a stale cache never decides blindly).
 * On 409 it re-reads the object: if the other writer touched only other fields (spec, other
 * status fields) the same changes are sent again on the fresh version; if it changed a field
 * this reconcile changes too, nothing is overwritten and the outcome is `contended`. Only
 * `status` and `metadata.resourceVersion` are ever sent: spec is never written.
 */
export async function patchStatus<T extends KubeObject>(
  input: StatusPatchInput<T>,
): Promise<StatusPatchOutcome<T>> {
  const originalStatus = statusOf(input.original);
  const changes = createMergePatch(originalStatus, input.desired as JsonObject);
  if (!changes) return { kind: 'unchanged', object: input.original };
  const target = nameOf(input.original);
  const attempts = input.maxAttempts ?? 5;
  let base: KubeObject | undefined = input.original;
  for (let attempt = 1; base; attempt++) {
    const outcome = await sendOnce(input, target, patchOn(base, changes));
    if (outcome !== 'conflict') return outcome;
    if (attempt >= attempts)
      throw new KubeApiError(
        'KUBE_CONFLICT',
        `status of ${describe(target)}: still conflicting after ${attempt} attempts`,
      );
    input.onConflict?.();
    base = await input.client.find<T>(input.kind, target.namespace, target.name, input.signal);
    const contended = base ? contendedPaths(originalStatus, statusOf(base), changes) : [];
    if (contended.length > 0) return { kind: 'contended', paths: contended };
  }
  return { kind: 'gone' };
}

/** The status changes, conditional on `base`'s resourceVersion. */
function patchOn(base: KubeObject, changes: JsonObject): JsonObject {
  const resourceVersion = base.metadata.resourceVersion;
  return { metadata: resourceVersion === undefined ? {} : { resourceVersion }, status: changes };
}

function describe(target: ObjectName): string {
  return target.namespace ? `${target.namespace}/${target.name}` : target.name;
}

async function sendOnce<T extends KubeObject>(
  input: StatusPatchInput<T>,
  target: ObjectName,
  patch: JsonObject,
): Promise<StatusPatchOutcome<T> | 'conflict'> {
  try {
    const options = { subresource: 'status' as const, ...(input.signal ? { signal: input.signal } : {}) };
    return { kind: 'patched', object: await input.client.mergePatch<T>(input.kind, target, patch, options) };
  } catch (error) {
    if (isKubeError(error, 'KUBE_NOT_FOUND')) return { kind: 'gone' };
    if (isKubeError(error, 'KUBE_CONFLICT')) return 'conflict';
    throw error;
  }
}

/** Fields this patch changes that someone else changed to another value since `original`. */
function contendedPaths(original: JsonObject, fresh: JsonObject, changes: JsonObject): string[] {
  return patchPaths(changes)
    .filter((path) => {
      const theirs = valueAt(fresh, path);
      const ours = valueAt(changes, path) ?? undefined; // null in a merge patch means removed
      return !deepEqual(theirs, valueAt(original, path)) && !deepEqual(theirs, ours);
    })
    .map((path) => `status.${path.join('.')}`);
}
