import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import {
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
} from '../controller/result.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Informer } from '../informer/informer.js';
import type { ControllerMetrics } from '../ops/metrics.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from './finalizers.js';
import { clusterOf, pausedBy, type ClusterLike } from './paused.js';
import { runPhases, type Phase, type PhasesOutcome, type StatusObject } from './phases.js';
import { ReadYourWrites } from './read-your-writes.js';

export interface ObjectReconcilerOptions<T extends StatusObject> {
  readonly kind: KindRef;
  readonly client: KubeClient;
  /** The primary kind's cache (objects are read from it, as controller-runtime does). */
  readonly cache: Informer<T>;
  /** Cluster cache for `spec.paused`; without it only the object's annotation pauses. */
  readonly clusters?: Informer<ClusterLike>;
  /** Added before the first phase runs, removed after the delete phases complete. */
  readonly finalizer?: string;
  readonly phases: readonly Phase<T>[];
  readonly deletePhases?: readonly Phase<T>[];
  readonly events?: EventRecorder;
  readonly metrics?: ControllerMetrics;
  /** Set status.observedGeneration = metadata.generation on every patch. Default true. */
  readonly observedGeneration?: boolean;
}

/**
 * The Cluster API reconcile shape: fetch (from the cache) → paused? → deleting? (delete phases,
 * then drop the finalizer) : (ensure the finalizer, run the phases) → always patch the status
 * at the end, errors included, with observedGeneration. Phases run in order; the first error
 * stops the rest and requeues with backoff after the status is written.
 */
export class ObjectReconciler<T extends StatusObject> implements Reconciler {
  private readonly reads: ReadYourWrites<T>;

  constructor(private readonly options: ObjectReconcilerOptions<T>) {
    this.reads = new ReadYourWrites(options.client, options.kind);
  }

  async reconcile(
    request: ReconcileRequest,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const cached = this.options.cache.store.get(request.key);
    const current = await this.reads.current(request, cached, context.signal);
    if (!current) return undefined; // deleted: nothing left to reconcile
    const object = structuredClone(current);
    const cluster = clusterOf(object, this.options.clusters);
    const paused = pausedBy(object, cluster);
    if (paused) {
      context.log.info({ pausedBy: paused }, 'Reconciliation is paused for this object');
      return undefined;
    }
    return object.metadata.deletionTimestamp
      ? this.reconcileDelete(object, cluster, request, context)
      : this.reconcileNormal(object, cluster, request, context);
  }

  private async reconcileNormal(
    cachedObject: T,
    cluster: ClusterLike | undefined,
    request: ReconcileRequest,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    let object: T | undefined = cachedObject;
    const { finalizer } = this.options;
    if (finalizer && !hasFinalizer(object, finalizer)) {
      const change = {
        client: this.options.client,
        kind: this.options.kind,
        finalizer,
        signal: context.signal,
      };
      object = await addFinalizer({ ...change, object });
      if (!object) return undefined;
    }
    return (await this.runPhases(object, this.options.phases, { cluster, request, context })).result;
  }

  /** Deletion runs on the live object: the cache may still show a finalizer we already removed. */
  private async reconcileDelete(
    cached: T,
    cluster: ClusterLike | undefined,
    request: ReconcileRequest,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const { finalizer, client, kind } = this.options;
    if (!finalizer || !hasFinalizer(cached, finalizer)) return undefined;
    const object = await client.find<T>(kind, request.namespace, request.name, context.signal);
    if (!object || !hasFinalizer(object, finalizer)) return undefined;
    const outcome = await this.runPhases(object, this.options.deletePhases ?? [], {
      cluster,
      request,
      context,
    });
    if (!outcome.complete || !outcome.latest) return outcome.result;
    context.log.info({ finalizer }, 'Removing finalizer');
    await removeFinalizer({ client, kind, object: outcome.latest, finalizer, signal: context.signal });
    return undefined;
  }

  private async runPhases(
    object: T,
    phases: readonly Phase<T>[],
    where: { cluster: ClusterLike | undefined; request: ReconcileRequest; context: ReconcileContext },
  ): Promise<PhasesOutcome<T>> {
    const outcome = await runPhases({
      client: this.options.client,
      kind: this.options.kind,
      object,
      phases,
      scope: { ...where, event: (input) => this.options.events?.record(object, input) },
      observedGeneration: this.options.observedGeneration !== false,
      onConflict: () => this.options.metrics?.statusConflict(),
    });
    this.reads.wrote(where.request.key, object, outcome.latest);
    return outcome;
  }
}
