import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a work queue reports (one per controller). */
export interface QueueMetrics {
  depth(items: number): void;
  added(): void;
  /** Seconds an item waited in the queue before a worker took it. */
  waited(seconds: number): void;
  /** Seconds a worker spent on an item. */
  worked(seconds: number): void;
  retried(): void;
}

/** What a controller reports per reconcile. */
export interface ControllerMetrics {
  reconciled(result: 'success' | 'error' | 'requeue' | 'requeue_after', seconds: number): void;
  activeWorkers(delta: number): void;
  statusConflict(): void;
}

export interface InformerMetrics {
  restarted(reason: string): void;
  relisted(): void;
  objects(count: number): void;
}

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The runtime's Prometheus metrics, named as controller-runtime names them so dashboards carry
 * over, registered in an injected Registry (never prom-client's global one). Reconcilers add
 * their own metrics to `registry`.
 */
export class RuntimeMetrics {
  private readonly reconcileTotal: Counter;
  private readonly reconcileErrors: Counter;
  private readonly reconcileTime: Histogram;
  private readonly workers: Gauge;
  private readonly conflicts: Counter;
  private readonly queueDepth: Gauge;
  private readonly queueAdds: Counter;
  private readonly queueWait: Histogram;
  private readonly queueWork: Histogram;
  private readonly queueRetries: Counter;
  private readonly informerRestarts: Counter;
  private readonly informerRelists: Counter;
  private readonly informerObjects: Gauge;
  readonly leader: Gauge;
  readonly eventsEmitted: Counter;
  readonly eventsDropped: Counter;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    const counter = (name: string, help: string, labelNames: string[]): Counter =>
      new Counter({ name, help, labelNames, registers });
    const gauge = (name: string, help: string, labelNames: string[]): Gauge =>
      new Gauge({ name, help, labelNames, registers });
    const histogram = (name: string, help: string, labelNames: string[]): Histogram =>
      new Histogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers });
    this.reconcileTotal = counter(
      'controller_runtime_reconcile_total',
      'Reconciles per controller and result.',
      ['controller', 'result'],
    );
    this.reconcileErrors = counter('controller_runtime_reconcile_errors_total', 'Reconcile errors.', [
      'controller',
    ]);
    this.reconcileTime = histogram('controller_runtime_reconcile_time_seconds', 'Reconcile duration.', [
      'controller',
    ]);
    this.workers = gauge('controller_runtime_active_workers', 'Workers busy reconciling.', ['controller']);
    this.conflicts = counter(
      'imageurl_status_patch_conflicts_total',
      'Status patches retried after a conflict.',
      ['controller'],
    );
    this.queueDepth = gauge('workqueue_depth', 'Keys waiting in the work queue.', ['name']);
    this.queueAdds = counter('workqueue_adds_total', 'Keys added to the work queue.', ['name']);
    this.queueWait = histogram('workqueue_queue_duration_seconds', 'Time a key waited for a worker.', [
      'name',
    ]);
    this.queueWork = histogram('workqueue_work_duration_seconds', 'Time a worker spent on a key.', ['name']);
    this.queueRetries = counter('workqueue_retries_total', 'Rate-limited requeues.', ['name']);
    this.informerRestarts = counter('imageurl_informer_restarts_total', 'Watch restarts after an error.', [
      'kind',
      'reason',
    ]);
    this.informerRelists = counter('imageurl_informer_relists_total', 'Full lists (start, 410 Gone).', [
      'kind',
    ]);
    this.informerObjects = gauge('imageurl_informer_objects', 'Objects in the informer cache.', ['kind']);
    this.leader = gauge('leader_election_master_status', '1 while this process leads.', ['name']);
    this.eventsEmitted = counter('imageurl_events_total', 'Kubernetes Events written.', ['type', 'series']);
    this.eventsDropped = counter(
      'imageurl_events_dropped_total',
      'Events dropped (queue full or write failed).',
      ['why'],
    );
  }

  forQueue(name: string): QueueMetrics {
    return {
      depth: (items) => this.queueDepth.set({ name }, items),
      added: () => this.queueAdds.inc({ name }),
      waited: (seconds) => this.queueWait.observe({ name }, seconds),
      worked: (seconds) => this.queueWork.observe({ name }, seconds),
      retried: () => this.queueRetries.inc({ name }),
    };
  }

  forController(controller: string): ControllerMetrics {
    return {
      reconciled: (result, seconds) => {
        this.reconcileTotal.inc({ controller, result });
        if (result === 'error') this.reconcileErrors.inc({ controller });
        this.reconcileTime.observe({ controller }, seconds);
      },
      activeWorkers: (delta) => this.workers.inc({ controller }, delta),
      statusConflict: () => this.conflicts.inc({ controller }),
    };
  }

  forInformer(kind: string): InformerMetrics {
    return {
      restarted: (reason) => this.informerRestarts.inc({ kind, reason }),
      relisted: () => this.informerRelists.inc({ kind }),
      objects: (count) => this.informerObjects.set({ kind }, count),
    };
  }
}
