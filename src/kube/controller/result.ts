import type { ObjectKey } from '../client/objects.js';
import type { Logger } from '../ops/logger.js';

/** What to do with a key after a reconcile that did not throw. */
export interface ReconcileResult {
  /** Reconcile again after this many milliseconds (the rate limiter is reset). */
  readonly requeueAfterMs?: number;
  /** Reconcile again after the rate limiter's delay (like an error, without logging one). */
  readonly requeue?: boolean;
}

export interface ReconcileRequest {
  readonly key: ObjectKey;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

export interface ReconcileContext {
  /** Aborts when the controller stops hard (leadership lost): stop writing as soon as possible. */
  readonly signal: AbortSignal;
  /** A child logger with the fixed keys: controller, reconcileID and the object. */
  readonly log: Logger;
  readonly reconcileId: string;
}

/** The one method a controller calls. Thrown errors requeue with rate-limited backoff. */
export interface Reconciler {
  reconcile(request: ReconcileRequest, context: ReconcileContext): Promise<ReconcileResult | undefined>;
}

/** An error retrying cannot fix (invalid spec): logged and counted, the key is not requeued. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
  readonly code = 'RECONCILE_TERMINAL';
}

/** The sooner of two results' requeue wishes (for combining phases). */
export function soonest(a: ReconcileResult | undefined, b: ReconcileResult | undefined): ReconcileResult {
  const after = [a?.requeueAfterMs, b?.requeueAfterMs].filter(
    (ms): ms is number => ms !== undefined && ms > 0,
  );
  const requeue = a?.requeue === true || b?.requeue === true;
  return {
    ...(after.length > 0 ? { requeueAfterMs: Math.min(...after) } : {}),
    ...(requeue ? { requeue } : {}),
  };
}
