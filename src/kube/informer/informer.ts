import { isKubeError } from '../client/errors.js';
import { apiVersionOf, collectionPath, type KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import { keyOf, type KubeObject, type ObjectKey } from '../client/objects.js';
import type { Logger } from '../ops/logger.js';
import type { InformerMetrics } from '../ops/metrics.js';
import { isAborted } from '../util/abort.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../util/backoff.js';
import type { StepLog } from '../ops/step-log.js';
import { describeListFailure } from './list-problem.js';
import { listAll } from './list-all.js';
import { ObjectStore } from './store.js';
import { consumeWatch, type WatchEvent } from './watch-stream.js';

export type ChangeType = 'added' | 'modified' | 'deleted';

/** One change to the cache; `previous` is the cached state before a modification. */
export interface Change<T> {
  readonly type: ChangeType;
  readonly object: T;
  readonly previous?: T;
}

export type ChangeListener<T> = (change: Change<T>) => void;

export interface InformerOptions {
  readonly kind: KindRef;
  /** Every namespace when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Server-side end of each watch (it is resumed from the last resourceVersion). Default 300. */
  readonly watchTimeoutSeconds?: number;
  /**
   * Watchdog: a watch silent this long is dead. Default watch timeout + 30 s: a quiet watch's
   * only traffic is the bookmark kube-apiserver sends ~2 s before timeoutSeconds (measured, 1.34).
   */
  readonly idleTimeoutMs?: number;
  readonly pageSize?: number;
  readonly backoff?: BackoffPolicy;
  readonly log: Logger;
  readonly metrics?: InformerMetrics;
  /** Failures shared with the other informers: one line per backoff step, not one per informer. */
  readonly steps?: StepLog;
}

/** Retries stay frequent (≤ 5 s) so a returning apiserver is noticed quickly; jitter spreads replicas. */
const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000, jitter: 0.2 };
/** A watch that ends normally sooner than this counts as a failure, so a flapping server is backed off. */
const SHORT_WATCH_MS = 1_000;

/**
 * List+watch cache of one kind. Unlike client-node 1.4.0's informer it never stops on its own:
 * every failure is retried with jittered backoff, 410 Gone relists (objects gone meanwhile get
 * `deleted` changes), a silent watch is cut by a watchdog, and each watch is bounded by
 * `timeoutSeconds`. `synced` resolves after the first complete list.
 */
export class Informer<T extends KubeObject> {
  readonly store = new ObjectStore<T>();
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private readonly listeners = new Set<ChangeListener<T>>();
  private resourceVersion: string | undefined;
  private stopper: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private syncedNow = false;
  private failing: string | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly options: InformerOptions,
  ) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  get kind(): KindRef {
    return this.options.kind;
  }

  get hasSynced(): boolean {
    return this.syncedNow;
  }

  /** Why the last list or watch failed, while it keeps failing (for start-up errors). */
  get problem(): string | undefined {
    return this.failing;
  }

  /** Registers a listener; returns the function that removes it. */
  onChange(listener: ChangeListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts listing and watching in the background (idempotent). */
  start(): void {
    if (this.loop) return;
    const stopper = (this.stopper = new AbortController());
    this.loop = this.run(stopper.signal);
  }

  /** Stops the watch and waits until the loop has ended. */
  async stop(): Promise<void> {
    this.stopper?.abort();
    await this.loop;
    this.loop = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist(signal);
        const began = Date.now();
        const events = await this.watch(signal);
        failures = events > 0 || Date.now() - began >= SHORT_WATCH_MS ? 0 : failures + 1;
        if (failures > 0)
          await sleep(backoffDelay(this.options.backoff ?? DEFAULT_BACKOFF, failures), signal);
      } catch (error) {
        if (isAborted(signal)) break;
        failures = await this.recover(error, failures, signal);
      }
    }
  }

  /** After a failed list or watch: relist at once on 410 Gone, otherwise back off and retry. */
  private async recover(error: unknown, failures: number, signal: AbortSignal): Promise<number> {
    const reason = isKubeError(error) ? error.code : 'UNKNOWN';
    this.options.metrics?.restarted(reason);
    if (isKubeError(error, 'KUBE_GONE') && this.resourceVersion !== undefined) {
      this.options.log.info({ kind: this.kind.kind, reason }, 'Relisting after the watch expired');
      this.resourceVersion = undefined;
      return failures;
    }
    const delayMs = Math.round(backoffDelay(this.options.backoff ?? DEFAULT_BACKOFF, failures + 1));
    const message = error instanceof Error ? error.message : String(error);
    this.failing = await describeListFailure(this.client, this.kind, error, signal);
    if (this.options.steps)
      this.options.steps.failed(this.failing, failures + 1, delayMs, { kind: this.kind.kind, err: message });
    else
      this.options.log.warn(
        { kind: this.kind.kind, reason, delayMs, err: message },
        'Restarting watch after error',
      );
    await sleep(delayMs, signal);
    return failures + 1;
  }

  /** Lists everything, then replaces the cache, emitting the differences. */
  private async relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await listAll(this.client, this.kind, {
      ...this.selectors(),
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
      pageSize: this.options.pageSize ?? 500,
      signal,
    });
    this.options.metrics?.relisted();
    if (this.failing !== undefined) this.options.steps?.recovered(this.failing);
    this.failing = undefined;
    this.replace(items as T[]);
    this.resourceVersion = resourceVersion;
    this.options.metrics?.objects(this.store.size);
    if (!this.syncedNow) {
      this.syncedNow = true;
      this.markSynced();
    }
  }

  private replace(items: readonly T[]): void {
    const fresh = new Map<ObjectKey, T>();
    for (const item of items) fresh.set(keyOf(item), this.typed(item));
    for (const key of this.store.keys()) {
      if (fresh.has(key)) continue;
      const gone = this.store.delete(key);
      if (gone) this.emit({ type: 'deleted', object: gone });
    }
    for (const [key, object] of fresh) this.upsert(key, object);
  }

  private async watch(signal: AbortSignal): Promise<number> {
    const path = collectionPath(this.kind, this.options.namespace);
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300;
    const response = await this.client.transport.stream({
      method: 'GET',
      path,
      query: {
        ...this.selectors(),
        watch: 1,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      },
      signal,
    });
    return consumeWatch<T>(response, {
      label: `GET ${path} (watch)`,
      idleTimeoutMs: this.options.idleTimeoutMs ?? timeoutSeconds * 1000 + 30_000,
      onEvent: (event) => this.apply(event),
    });
  }

  private apply(event: WatchEvent<T>): void {
    const object = event.type === 'BOOKMARK' ? event.object : this.typed(event.object);
    const key = keyOf(object);
    if (event.type === 'ADDED' || event.type === 'MODIFIED') this.upsert(key, object);
    if (event.type === 'DELETED') {
      this.store.delete(key);
      this.emit({ type: 'deleted', object });
    }
    this.resourceVersion = object.metadata.resourceVersion ?? this.resourceVersion;
    this.options.metrics?.objects(this.store.size);
  }

  private upsert(key: ObjectKey, object: T): void {
    const previous = this.store.set(key, object);
    if (!previous) this.emit({ type: 'added', object });
    else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion)
      this.emit({ type: 'modified', object, previous });
  }

  /** Lists of core kinds omit apiVersion/kind on items; listeners and reconcilers want them. */
  private typed(object: T): T {
    object.apiVersion ??= apiVersionOf(this.kind);
    object.kind ??= this.kind.kind;
    return object;
  }

  private emit(change: Change<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A listener's bug must not break the cache for every other listener.
        this.options.log.error({ kind: this.kind.kind, err: String(error) }, 'Informer listener failed');
      }
    }
  }

  private selectors(): { labelSelector?: string; fieldSelector?: string } {
    const { labelSelector, fieldSelector } = this.options;
    return {
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    };
  }
}
