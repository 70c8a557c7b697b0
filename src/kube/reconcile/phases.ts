import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/objects.js';
import {
  soonest,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
} from '../controller/result.js';
import type { EventInput } from '../events/event-body.js';
import type { ClusterLike } from './paused.js';
import { patchStatus } from './status-patch.js';

/** An object with a status (the reconciler's draft type is its status type). */
export interface StatusObject extends KubeObject {
  status?: object;
}

export type StatusOf<T extends StatusObject> = NonNullable<T['status']> & { observedGeneration?: number };

/** What a phase sees: the object (read-only), the status draft it changes, and helpers. */
export interface Scope<T extends StatusObject> {
  /** A private copy of the object; spec and metadata are read here, never written. */
  readonly object: T;
  /** The status being built; written with one minimal patch when the reconcile ends. */
  readonly status: StatusOf<T>;
  readonly cluster: ClusterLike | undefined;
  readonly request: ReconcileRequest;
  readonly context: ReconcileContext;
  /** Records an event about the object (redacted, size-capped, aggregated). */
  event(input: EventInput): void;
}

/** A phase's wish: requeue like a ReconcileResult, and `stop` to skip the phases after it. */
export interface PhaseResult extends ReconcileResult {
  readonly stop?: boolean;
}

export type Phase<T extends StatusObject> = (scope: Scope<T>) => Promise<PhaseResult | undefined>;

export interface PhasesOutcome<T> {
  readonly result: ReconcileResult;
  /** All phases ran without asking to come back: deletion may drop the finalizer. */
  readonly complete: boolean;
  /** The object as last written (status patched), for the writes that follow; undefined if gone. */
  readonly latest: T | undefined;
}

export interface PhaseRun<T extends StatusObject> {
  readonly client: KubeClient;
  readonly kind: KindRef;
  readonly object: T;
  readonly phases: readonly Phase<T>[];
  readonly scope: Omit<Scope<T>, 'object' | 'status'>;
  readonly observedGeneration: boolean;
  readonly onConflict?: () => void;
}

/**
 * Runs the phases on a status draft, then always patches the status (errors included) with
 * observedGeneration, and rethrows a phase's error afterwards. A contended status patch
 * (another writer changed one of our fields) asks for another reconcile.
 */
export async function runPhases<T extends StatusObject>(run: PhaseRun<T>): Promise<PhasesOutcome<T>> {
  const status = structuredClone(run.object.status ?? {}) as StatusOf<T>;
  const ran = await runInOrder(run.phases, { ...run.scope, object: run.object, status });
  const generation = run.object.metadata.generation;
  if (run.observedGeneration && generation !== undefined) status.observedGeneration = generation;
  let written: Awaited<ReturnType<typeof patchStatus<T>>>;
  try {
    written = await patchStatus({
      ...run,
      original: run.object,
      desired: status,
      signal: run.scope.context.signal,
    });
  } catch (error) {
    // A phase's error says more than the patch's: keep it, log the patch failure.
    if (ran.failure === undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    run.scope.context.log.error({ err: message }, 'Could not patch status');
    throw ran.failure;
  }
  if (ran.failure) throw ran.failure;
  if (written.kind === 'contended') {
    run.scope.context.log.info({ fields: written.paths }, 'Status changed concurrently; reconciling again');
    return { result: soonest(ran.result, { requeue: true }), complete: false, latest: undefined };
  }
  const latest = written.kind === 'gone' ? undefined : written.object;
  return { result: ran.result, complete: ran.complete, latest };
}

/** Runs phases in order until one stops, throws (kept as `failure`) or all ran. */
async function runInOrder<T extends StatusObject>(
  phases: readonly Phase<T>[],
  scope: Scope<T>,
): Promise<{ result: ReconcileResult; complete: boolean; failure: Error | undefined }> {
  let result: ReconcileResult = {};
  let complete = true;
  try {
    for (const phase of phases) {
      const outcome = await phase(scope);
      result = soonest(result, outcome);
      complete &&= isFinished(outcome);
      if (outcome?.stop) break;
    }
  } catch (error) {
    return { result, complete: false, failure: error instanceof Error ? error : new Error(String(error)) };
  }
  return { result, complete, failure: undefined };
}

/** A phase that neither stopped the run nor asked to come back. */
function isFinished(outcome: PhaseResult | undefined): boolean {
  return outcome === undefined || (!outcome.stop && !outcome.requeue && !outcome.requeueAfterMs);
}
