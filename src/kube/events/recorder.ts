import { randomBytes } from 'node:crypto';
import { isKubeError } from '../client/errors.js';
import { eventKind } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/objects.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import { eventBody, type EventBody, type EventInput, type EventSource } from './event-body.js';
import { microTime } from './micro-time.js';

export interface EventRecorderOptions {
  readonly client: KubeClient;
  readonly source: Omit<EventSource, 'redact'>;
  /** The caller's secret redactor, applied to every note. Default: none. */
  readonly redact?: (text: string) => string;
  /** Repeats within this window join the first event's series. Default 10 minutes. */
  readonly seriesWindowMs?: number;
  /** Events waiting to be written; more are dropped (and counted). Default 1000. */
  readonly maxQueued?: number;
  /** Remembered series (oldest forgotten first). Default 4096. */
  readonly maxSeries?: number;
  readonly log: Logger;
  readonly metrics?: RuntimeMetrics;
  readonly now?: () => Date;
}

interface Queued {
  readonly regarding: KubeObject;
  readonly input: EventInput;
  readonly at: Date;
}

interface Series {
  readonly name: string;
  readonly namespace: string;
  count: number;
  last: number;
}

/**
 * Writes events.k8s.io/v1 Events without blocking the reconcile: `record` queues, one
 * background writer sends. An event equal to a recent one (same object, type, reason, action
 * and note) is not written again: the first event's `series` (count, lastObservedTime) is
 * patched instead, as client-go's events library does. Notes are redacted and cut to 1 KiB.
 */
export class EventRecorder {
  private readonly queued: Queued[] = [];
  private readonly series = new Map<string, Series>();
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: EventRecorderOptions) {}

  /** Queues one event about `regarding`; never throws, never waits. */
  record(regarding: KubeObject, input: EventInput): void {
    if (this.closed) return;
    if (this.queued.length >= (this.options.maxQueued ?? 1000)) {
      this.options.metrics?.eventsDropped.inc({ why: 'queue_full' });
      return;
    }
    this.queued.push({ regarding, input, at: this.options.now?.() ?? new Date() });
    this.writing ??= this.writeAll().finally(() => (this.writing = undefined));
  }

  /** Resolves when every queued event has been written (or dropped). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Stops accepting events and flushes the queue. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    for (let next = this.queued.shift(); next; next = this.queued.shift()) {
      try {
        await this.write(next);
      } catch (error) {
        this.options.metrics?.eventsDropped.inc({ why: 'write_failed' });
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ err: message, reason: next.input.reason }, 'Could not write event');
      }
    }
  }

  private async write(item: Queued): Promise<void> {
    const redact = this.options.redact ?? ((text: string): string => text);
    const body = eventBody({ ...this.options.source, redact }, item.regarding, item.input, {
      at: item.at,
      unique: this.unique(item.at),
    });
    const key = seriesKey(body);
    const known = this.series.get(key);
    const window = this.options.seriesWindowMs ?? 600_000;
    if (known && item.at.getTime() - known.last <= window && (await this.extend(known, item.at, body.type)))
      return;
    await this.options.client.create<EventBody>(eventKind, body);
    this.options.metrics?.eventsEmitted.inc({ type: body.type, series: 'false' });
    this.remember(key, {
      name: body.metadata.name ?? '',
      namespace: body.metadata.namespace ?? '',
      count: 1,
      last: item.at.getTime(),
    });
  }

  /** Counts a repeat into an existing event; false if that event is gone (expired by TTL). */
  private async extend(series: Series, at: Date, type: string): Promise<boolean> {
    const count = series.count + 1;
    try {
      await this.options.client.mergePatch(eventKind, series, {
        series: { count, lastObservedTime: microTime(at) },
      });
    } catch (error) {
      if (isKubeError(error, 'KUBE_NOT_FOUND')) return false;
      throw error;
    }
    series.count = count;
    series.last = at.getTime();
    this.options.metrics?.eventsEmitted.inc({ type, series: 'true' });
    return true;
  }

  private remember(key: string, series: Series): void {
    this.series.delete(key);
    this.series.set(key, series);
    const limit = this.options.maxSeries ?? 4096;
    for (const oldest of this.series.keys()) {
      if (this.series.size <= limit) break;
      this.series.delete(oldest);
    }
  }

  /** A name suffix: hex milliseconds (like client-go's hex nanoseconds) plus random bits, unique across replicas. */
  private unique(at: Date): string {
    return `${at.getTime().toString(16)}${randomBytes(3).toString('hex')}`;
  }
}

function seriesKey(body: EventBody): string {
  const r = body.regarding;
  return JSON.stringify([
    r.uid ?? '',
    r.kind ?? '',
    r.namespace ?? '',
    r.name ?? '',
    body.type,
    body.reason,
    body.action,
    body.note,
  ]);
}
