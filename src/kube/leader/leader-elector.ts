import { isKubeError } from '../client/errors.js';
import { apiVersionOf, leaseKind } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import { deepEqual } from '../reconcile/merge-patch.js';
import type { Logger } from '../ops/logger.js';
import { isAborted } from '../util/abort.js';
import { sleep } from '../util/backoff.js';
import { leaseFor, releasedLease, type Lease, type LeaseSpec } from './lease-record.js';

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

/**
 * client-go's Lease election: a candidate takes the Lease when it is free, released, or its
 * record has not changed for a lease duration *as observed locally* (so clock skew between
 * replicas does not matter). The leader renews every retry period and steps down when it has
 * not renewed for renewDeadline, which is shorter than the lease duration: it stops before
 * anyone else may start. Release on shutdown hands over at once.
 */
export class LeaderElector {
  private observed: { spec: LeaseSpec | undefined; at: number } | undefined;
  private current: Lease | undefined;
  private leading = false;

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
    while (!signal.aborted) {
      if (await this.attempt(AbortSignal.any([signal, AbortSignal.timeout(this.retryPeriodMs)]))) {
        this.setLeading(true);
        this.options.log.info({ lease: this.options.name, identity: this.identity }, 'Acquired leader lease');
        return true;
      }
      await sleep(this.retryPeriodMs, signal);
    }
    return false;
  }

  /** Renews while leading; resolves `lost` when renewal failed for renewDeadline, `stopped` on abort. */
  async hold(signal: AbortSignal): Promise<'lost' | 'stopped'> {
    let renewed = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (isAborted(signal)) break;
      const left = renewed + this.renewDeadlineMs - Date.now();
      if (left > 0 && (await this.attempt(AbortSignal.any([signal, AbortSignal.timeout(left)])))) {
        renewed = Date.now();
        continue;
      }
      if (Date.now() - renewed >= this.renewDeadlineMs) {
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
      if (lease && this.heldByOther(lease)) return false;
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

  /** Whether another identity holds a lease whose record changed less than its duration ago (local clock). */
  private heldByOther(lease: Lease): boolean {
    const now = Date.now();
    if (!this.observed || !deepEqual(this.observed.spec, lease.spec))
      this.observed = { spec: lease.spec, at: now };
    const holder = lease.spec?.holderIdentity;
    if (!holder || holder === this.identity) return false;
    return this.observed.at + (lease.spec?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private async write(lease: Lease | undefined, signal: AbortSignal): Promise<boolean> {
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
    this.observed = { spec: written.spec, at: Date.now() };
    return true;
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.options.onLeading?.(leading);
  }
}
