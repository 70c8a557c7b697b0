import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { splitKey, type ObjectKey } from '../client/objects.js';
import type { Logger } from '../ops/logger.js';
import type { ControllerMetrics, QueueMetrics } from '../ops/metrics.js';
import { RateLimiter, type RateLimiterOptions } from '../queue/rate-limiter.js';
import { WorkQueue } from '../queue/work-queue.js';
import { TerminalError, type ReconcileResult, type Reconciler } from './result.js';
import type { WatchSource } from './watch-source.js';

export interface ControllerOptions {
  /** Names the controller in logs and metrics (e.g. hcloudmachine). */
  readonly name: string;
  /** The primary kind's source (usually mapped with toSelf); its kind names the key in logs. */
  readonly for: WatchSource;
  /** Secondary kinds mapped to primary keys (Machine → its infrastructure object, Secret → users). */
  readonly watches?: readonly WatchSource[];
  readonly reconciler: Reconciler;
  /** Concurrent reconciles (of different keys). Default 4. */
  readonly workers?: number;
  readonly rateLimiter?: RateLimiterOptions;
  /** Re-enqueue every primary object this often (0 = never). Default 0. */
  readonly resyncPeriodMs?: number;
  readonly log: Logger;
  readonly metrics?: { readonly queue: QueueMetrics; readonly controller: ControllerMetrics };
}

type Outcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/**
 * Turns watch changes into reconciles: keyed, deduplicated, never the same key twice at once,
 * `workers` keys in parallel, requeues as results and errors say. Start it when this process
 * may reconcile (after winning the election); stop it to drain.
 */
export class Controller {
  readonly queue: WorkQueue;
  private unsubscribes: (() => void)[] = [];
  private workers: Promise<void>[] = [];
  private resync: NodeJS.Timeout | undefined;
  private hardStop = new AbortController();

  constructor(private readonly options: ControllerOptions) {
    this.queue = new WorkQueue({
      rateLimiter: new RateLimiter(options.rateLimiter),
      ...(options.metrics ? { metrics: options.metrics.queue } : {}),
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Every source, primary first (for readiness: all must have synced). */
  get sources(): readonly WatchSource[] {
    return [this.options.for, ...(this.options.watches ?? [])];
  }

  start(): void {
    if (this.workers.length > 0) throw new Error(`controller ${this.name} is started already`);
    const enqueue = (key: ObjectKey): void => this.queue.add(key);
    this.unsubscribes = this.sources.map((source) => source.subscribe(enqueue));
    const count = Math.max(1, this.options.workers ?? 4);
    this.workers = Array.from({ length: count }, () => this.work());
    const period = this.options.resyncPeriodMs ?? 0;
    if (period > 0) this.resync = setInterval(() => this.resyncAll(), period);
    this.options.log.info({ controller: this.name, workers: count }, 'Starting controller');
  }

  /**
   * Stops taking keys and waits for the reconciles in progress. With `abort`, their context
   * signal aborts first (leadership lost: another process may take over soon).
   */
  async stop(options: { readonly abort?: boolean } = {}): Promise<void> {
    if (this.workers.length === 0) return; // never started (not the leader)
    clearInterval(this.resync);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    if (options.abort) this.abortInFlight();
    await this.queue.shutDownWithDrain();
    await Promise.all(this.workers);
    this.options.log.info({ controller: this.name }, 'Stopped controller');
  }

  /** Aborts the context signal of the reconciles in progress (they should return soon). */
  abortInFlight(): void {
    this.hardStop.abort();
  }

  /** Subscribing replays every cached primary object; unsubscribing at once keeps just that replay. */
  private resyncAll(): void {
    const enqueue = (key: ObjectKey): void => this.queue.add(key);
    this.options.for.subscribe(enqueue)();
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const began = performance.now();
      this.options.metrics?.controller.activeWorkers(1);
      let outcome: Outcome = 'error';
      try {
        outcome = await this.reconcileOne(key);
      } finally {
        const seconds = (performance.now() - began) / 1000;
        this.options.metrics?.controller.activeWorkers(-1);
        this.options.metrics?.controller.reconciled(outcome, seconds);
        this.options.metrics?.queue.worked(seconds);
        this.queue.done(key);
      }
    }
  }

  private async reconcileOne(key: ObjectKey): Promise<Outcome> {
    const reconcileId = randomUUID();
    const log = this.options.log.child({
      controller: this.name,
      reconcileID: reconcileId,
      [this.options.for.kind]: key,
    });
    try {
      log.debug('Reconciling');
      const result = await this.options.reconciler.reconcile(
        { key, ...splitKey(key) },
        { signal: this.hardStop.signal, log, reconcileId },
      );
      return this.requeue(key, result);
    } catch (error) {
      return this.retry(key, error, log);
    }
  }

  private requeue(key: ObjectKey, result: ReconcileResult | undefined): Outcome {
    const after = result?.requeueAfterMs ?? 0;
    if (after > 0) {
      this.queue.forget(key);
      this.queue.addAfter(key, after);
      return 'requeue_after';
    }
    if (result?.requeue) {
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    this.queue.forget(key);
    return 'success';
  }

  private retry(key: ObjectKey, error: unknown, log: Logger): Outcome {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    if (error instanceof TerminalError) {
      this.queue.forget(key);
      log.error({ err: message, code }, 'Reconciler failed terminally; not retrying');
      return 'error';
    }
    const delayMs = this.queue.addRateLimited(key);
    log.error({ err: message, code, retryInMs: Math.round(delayMs) }, 'Reconciler failed; retrying');
    return 'error';
  }
}
