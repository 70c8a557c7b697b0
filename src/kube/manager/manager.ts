import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/objects.js';
import { Controller, type ControllerOptions } from '../controller/controller.js';
import type { EventRecorder } from '../events/recorder.js';
import { Informer } from '../informer/informer.js';
import { LeaderElector, type LeaderElectionOptions } from '../leader/leader-elector.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import { aborted, isAborted } from '../util/abort.js';
import { sleep } from '../util/backoff.js';
import { StepLog } from '../ops/step-log.js';
import { CacheSyncTimeoutError, LeaderElectionLostError } from './errors.js';
import { OpsEndpoints } from './ops-endpoints.js';

export interface ManagerOptions {
  readonly client: KubeClient;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  /** Informers watch only this namespace when set. */
  readonly namespace?: string;
  /** The label selector of a kind's informer (the watch filter); none when it returns undefined. */
  readonly labelSelectorOf?: (kind: KindRef) => string | undefined;
  readonly watchTimeoutSeconds?: number;
  readonly watchIdleTimeoutMs?: number;
  /** Without it every process reconciles (one replica, tests). */
  readonly leaderElection?: Omit<LeaderElectionOptions, 'client' | 'log' | 'onLeading'>;
  /** /readyz fails while not leading (the rule); false for rolling updates with 2 replicas. Default true. */
  readonly readyRequiresLeadership?: boolean;
  /** `host:port`; absent or `0` = off. May be the same address as the metrics one. */
  readonly healthProbeBindAddress?: string;
  readonly metricsBindAddress?: string;
  /** Default for controllers without their own resync period. */
  readonly syncPeriodMs?: number;
  /** Flushed on shutdown. */
  readonly events?: EventRecorder;
  /** run() rejects with CacheSyncTimeoutError when a kind has not been listed this long after start. */
  readonly cacheSyncTimeoutMs?: number;
  /** How long shutdown waits for reconciles in progress before aborting them. Default 30 s. */
  readonly shutdownTimeoutMs?: number;
}

export type ManagedControllerOptions = Omit<ControllerOptions, 'log' | 'metrics'>;

/**
 * Owns the runtime of one process: shared informers (one per kind), controllers, the leader
 * election, the ops endpoints. `run(signal)` starts everything, reconciles while leading, and
 * on abort (SIGTERM) stops in order: controllers drain, the lease is released, informers stop,
 * events are flushed, endpoints close. Losing the lease rejects with LeaderElectionLostError
 * after the controllers stopped; the process should then exit and restart as a candidate.
 */
export class Manager {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly controllers: Controller[] = [];
  private readonly elector: LeaderElector | undefined;
  private readonly endpoints: OpsEndpoints;
  private readonly steps: StepLog;
  private running = false;

  constructor(private readonly options: ManagerOptions) {
    this.steps = new StepLog(options.log);
    const election = options.leaderElection;
    this.elector = election
      ? new LeaderElector({
          ...election,
          client: options.client,
          log: options.log,
          onLeading: (leading) => options.metrics.leader.set({ name: election.name }, leading ? 1 : 0),
        })
      : undefined;
    this.endpoints = new OpsEndpoints({
      synced: () => this.unsyncedKinds(),
      leading: () =>
        this.elector === undefined || options.readyRequiresLeadership === false
          ? true
          : this.elector.isLeader,
      registry: options.metrics.registry,
      log: options.log,
    });
  }

  get isLeader(): boolean {
    return this.running && (this.elector?.isLeader ?? true);
  }

  /** Where the ops endpoints listen (after run() started them). */
  get addresses(): readonly string[] {
    return this.endpoints.addresses;
  }

  /** The shared informer of `kind` (created on first use; started by run()). */
  informer<T extends KubeObject>(kind: KindRef): Informer<T> {
    const key = `${kind.group}/${kind.version}/${kind.plural}`;
    let informer = this.informers.get(key);
    if (!informer) {
      const labelSelector = this.options.labelSelectorOf?.(kind);
      informer = new Informer<KubeObject>(this.options.client, {
        kind,
        ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(this.options.watchTimeoutSeconds
          ? { watchTimeoutSeconds: this.options.watchTimeoutSeconds }
          : {}),
        ...(this.options.watchIdleTimeoutMs ? { idleTimeoutMs: this.options.watchIdleTimeoutMs } : {}),
        log: this.options.log,
        steps: this.steps,
        metrics: this.options.metrics.forInformer(kind.kind),
      });
      if (this.running) informer.start();
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  addController(options: ManagedControllerOptions): Controller {
    const syncPeriodMs = options.resyncPeriodMs ?? this.options.syncPeriodMs;
    const controller = new Controller({
      ...options,
      ...(syncPeriodMs === undefined ? {} : { resyncPeriodMs: syncPeriodMs }),
      log: this.options.log,
      metrics: {
        queue: this.options.metrics.forQueue(options.name),
        controller: this.options.metrics.forController(options.name),
      },
    });
    this.controllers.push(controller);
    return controller;
  }

  /** Runs until `signal` aborts (resolves) or leadership is lost (rejects). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('the manager is running already');
    this.running = true;
    let lost = false;
    try {
      await this.endpoints.listen(this.options.healthProbeBindAddress, this.options.metricsBindAddress);
      for (const informer of this.informers.values()) informer.start();
      lost = (await this.reconcileWhileLeading(signal)) === 'lost';
    } finally {
      await this.shutDown(lost);
    }
    if (lost) throw new LeaderElectionLostError(this.options.leaderElection?.name ?? '');
  }

  /** After the caches synced and the lease is won: controllers run until abort or loss. */
  private async reconcileWhileLeading(signal: AbortSignal): Promise<'lost' | 'stopped'> {
    if (!(await this.waitForSync(signal))) return 'stopped';
    if (this.elector && !(await this.elector.acquire(signal))) return 'stopped';
    for (const controller of this.controllers) controller.start();
    if (this.elector) return this.elector.hold(signal);
    await aborted(signal);
    return 'stopped';
  }

  private async waitForSync(signal: AbortSignal): Promise<boolean> {
    const all = Promise.all([...this.informers.values()].map(async (informer) => informer.synced));
    const timeoutMs = this.options.cacheSyncTimeoutMs;
    const deadline = new AbortController();
    const timedOut = timeoutMs === undefined ? aborted(deadline.signal) : sleep(timeoutMs, deadline.signal);
    const synced = await Promise.race([all.then(() => true), timedOut.then(() => false), aborted(signal)]);
    deadline.abort();
    if (isAborted(signal)) return false;
    if (synced !== true) throw new CacheSyncTimeoutError(timeoutMs ?? 0, this.syncProblems());
    this.options.log.info({ kinds: [...this.informers.values()].map((i) => i.kind.kind) }, 'Caches synced');
    return true;
  }

  private syncProblems(): string[] {
    const unsynced = [...this.informers.values()].filter((informer) => !informer.hasSynced);
    return [
      ...new Set(unsynced.map((informer) => informer.problem ?? `${informer.kind.kind}: not listed yet`)),
    ];
  }

  private unsyncedKinds(): string[] {
    return [...this.informers.values()]
      .filter((informer) => !informer.hasSynced)
      .map((informer) => informer.kind.kind);
  }

  private async shutDown(lost: boolean): Promise<void> {
    this.endpoints.shuttingDown();
    const timeoutMs = this.options.shutdownTimeoutMs ?? 30_000;
    await Promise.all(
      this.controllers.map(async (controller) => this.stopController(controller, lost, timeoutMs)),
    );
    if (!lost) await this.elector?.release();
    await Promise.all([...this.informers.values()].map(async (informer) => informer.stop()));
    await this.options.events?.close();
    await this.endpoints.close();
    this.running = false;
    this.options.log.info({ leadershipLost: lost }, 'Manager stopped');
  }

  private async stopController(controller: Controller, lost: boolean, timeoutMs: number): Promise<void> {
    const stopped = controller.stop({ abort: lost });
    const deadline = new AbortController();
    await Promise.race([stopped, sleep(timeoutMs, deadline.signal)]);
    deadline.abort();
    controller.abortInFlight();
    await stopped;
  }
}
