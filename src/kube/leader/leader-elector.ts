import { performance } from 'node:perf_hooks';
import { isKubeError } from '../client/errors.js';
import { apiVersionOf, leaseKind } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Logger } from '../ops/logger.js';
import { isAborted } from '../util/abort.js';
import { sleep } from '../util/backoff.js';
import { LeaseObservation } from './lease-observation.js';
import { leaseFor, releasedLease, type Lease } from './lease-record.js';
import { LeaseWatch } from './lease-watch.js';

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  /** Unique per process (hostname + random suffix). */
  readonly identity: string;
  /** How long a lease is valid without renewal (others wait this long). Default 15 s. */
  readonly leaseDurationMs?: number;
  /** The leader gives up if it could not renew for this long; must be < leaseDurationMs. Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Pause between attempts. Default 2 s. */
  readonly retryPeriodMs?: number;
  readonly log: Logger;
  /** Reports 1 while leading, 0 otherwise. */
  readonly onLeading?: (leading: boolean) => void;
}

/** Monotonic, so a wall-clock step (NTP) can neither stretch a lease nor shorten a deadline. */
const now = (): number => performance.now();

/**
 * client-go's Lease election: a candidate takes the Lease when it is free, released, or its
 * record has not changed for a lease duration *as observed locally* (so clock skew between
 * replicas does not matter). Candidates watch the Lease, so they see each renewal as it
 * happens and try again exactly when the last one seen runs out (see LeaseObservation). The
 * leader renews every retry period and steps down when it has not renewed for renewDeadline,
 * counted from when its last successful write was sent, which is no later than anyone can have
 * seen it: it stops before anyone else may start. Release on shutdown hands over at once. Every
 * write carries the resourceVersion read just before, so two candidates never both win.
 */
export class LeaderElector {
  private readonly observation = new LeaseObservation(now);
  private current: Lease | undefined;
  private leading = false;
  /** When the last successful acquire or renewal was sent (local monotonic time). */
  private renewedAt = 0;

  constructor(private readonly options: LeaderElectionOptions) {
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new RangeError(
        `renewDeadlineMs (${this.renewDeadlineMs}) must be less than leaseDurationMs (${this.leaseDurationMs})`,
      );
  }

  get isLeader(): boolean {
    return this.leading;
  }

  get identity(): string {
    return this.options.identity;
  }

  private get leaseDurationMs(): number {
    return this.options.leaseDurationMs ?? 15_000;
  }

  private get renewDeadlineMs(): number {
    return this.options.renewDeadlineMs ?? 10_000;
  }

  private get retryPeriodMs(): number {
    return this.options.retryPeriodMs ?? 2_000;
  }

  /** Tries until this process leads (true) or `signal` aborts (false). */
  async acquire(signal: AbortSignal): Promise<boolean> {
    this.options.log.info(
      { lease: this.options.name, identity: this.identity },
      'Attempting to acquire leader lease',
    );
    const watch = new LeaseWatch({
      client: this.options.client,
      namespace: this.options.namespace,
      name: this.options.name,
      log: this.options.log,
      onLease: (lease) => this.observation.observe(lease),
    });
    watch.start();
    try {
      while (!isAborted(signal)) {
        const attemptedAt = now();
        if (await this.attempt(AbortSignal.any([signal, AbortSignal.timeout(this.retryPeriodMs)]))) {
          this.setLeading(true);
          this.options.log.info(
            { lease: this.options.name, identity: this.identity },
            'Acquired leader lease',
          );
          return true;
        }
        await this.untilNextChance(watch, attemptedAt, signal);
      }
      return false;
    } finally {
      await watch.stop();
    }
  }

  /**
   * Waits until the Lease seen last runs out or is seen released, or for one retry period after
   * the last attempt: that poll is the fallback while the watch reconnects. A moment that was
   * already due when the last attempt started is not retried at once, so a failing apiserver is
   * tried once per retry period, not in a tight loop.
   */
  private async untilNextChance(watch: LeaseWatch, attemptedAt: number, signal: AbortSignal): Promise<void> {
    const pollAt = attemptedAt + this.retryPeriodMs;
    while (!isAborted(signal)) {
      const freeAt = this.observation.freeAt(this.identity);
      const wakeAt = freeAt > attemptedAt ? Math.min(freeAt, pollAt) : pollAt;
      if (wakeAt <= now()) return;
      await watch.changeOrTimeout(wakeAt - now(), signal);
    }
  }

  /** Renews while leading; resolves `lost` when renewal failed for renewDeadline, `stopped` on abort. */
  async hold(signal: AbortSignal): Promise<'lost' | 'stopped'> {
    while (!isAborted(signal)) {
      // Wake at the deadline at the latest: after a failed renewal, waiting a whole retry period
      // could keep this process leading past it while a candidate already counts down.
      await sleep(Math.min(this.retryPeriodMs, this.renewedAt + this.renewDeadlineMs - now()), signal);
      if (isAborted(signal)) break;
      // Whole milliseconds (AbortSignal.timeout takes no fractions), rounded towards the deadline.
      const left = Math.floor(this.renewedAt + this.renewDeadlineMs - now());
      if (left > 0 && (await this.attempt(AbortSignal.any([signal, AbortSignal.timeout(left)])))) continue;
      if (now() - this.renewedAt >= this.renewDeadlineMs) {
        this.setLeading(false);
        this.options.log.error(
          { lease: this.options.name, identity: this.identity },
          'Lost leader lease: could not renew',
        );
        return 'lost';
      }
    }
    return 'stopped';
  }

  /** Steps down: writes an empty holder so a candidate takes over without waiting. */
  async release(): Promise<void> {
    const lease = this.current;
    if (!this.leading || !lease?.spec) return;
    this.setLeading(false);
    try {
      await this.options.client.replace<Lease>(
        leaseKind,
        { ...lease, spec: releasedLease(lease.spec, new Date()) },
        {
          signal: AbortSignal.timeout(this.retryPeriodMs),
        },
      );
      this.options.log.info({ lease: this.options.name, identity: this.identity }, 'Released leader lease');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log.warn({ err: message }, 'Could not release leader lease; it expires on its own');
    }
  }

  /** One acquire-or-renew; false when another holder's lease is valid or the write lost a race. */
  private async attempt(signal: AbortSignal): Promise<boolean> {
    try {
      const lease = await this.options.client.find<Lease>(
        leaseKind,
        this.options.namespace,
        this.options.name,
        signal,
      );
      this.observation.observe(lease);
      if (this.observation.heldByOther(this.identity)) return false;
      return await this.write(lease, signal);
    } catch (error) {
      // Conflicts are lost races, expected with several candidates; anything else is worth a line.
      if (!isKubeError(error, 'KUBE_CONFLICT', 'KUBE_ALREADY_EXISTS')) {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ lease: this.options.name, err: message }, 'Leader lease request failed');
      }
      return false;
    }
  }

  /**
   * Creates the Lease or replaces the version just read: the replace carries its
   * resourceVersion, so it fails with a conflict if anyone wrote in between.
   */
  private async write(lease: Lease | undefined, signal: AbortSignal): Promise<boolean> {
    const sentAt = now();
    const spec = leaseFor(this.identity, this.leaseDurationMs, new Date(), lease?.spec);
    const written = lease
      ? await this.options.client.replace<Lease>(leaseKind, { ...lease, spec }, { signal })
      : await this.options.client.create<Lease>(
          leaseKind,
          {
            apiVersion: apiVersionOf(leaseKind),
            kind: leaseKind.kind,
            metadata: { name: this.options.name, namespace: this.options.namespace },
            spec,
          },
          signal,
        );
    this.current = written;
    this.renewedAt = sentAt;
    this.observation.observe(written);
    return true;
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.options.onLeading?.(leading);
  }
}
