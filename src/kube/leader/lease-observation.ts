import type { Lease, LeaseSpec } from './lease-record.js';

interface Seen {
  readonly resourceVersion: string | undefined;
  readonly spec: LeaseSpec | undefined;
  /** Local monotonic time of the first sighting of this version. */
  readonly at: number;
}

/**
 * Judges expiry the way client-go does, from the local time a version was first seen and never
 * from the holder's renewTime, so clock skew between replicas cannot shorten anyone's lease. A
 * version is its resourceVersion: any write restarts the wait, which only ever makes a
 * candidate wait longer, never shorter. Fed by both the watch and each attempt's GET: whichever
 * sees a version first sets its time.
 */
export class LeaseObservation {
  private seen: Seen | undefined;

  constructor(private readonly now: () => number) {}

  /** Records `lease` (undefined = it does not exist); a version seen before keeps its first time. */
  observe(lease: Lease | undefined): void {
    const resourceVersion = lease?.metadata.resourceVersion;
    if (this.seen && this.seen.resourceVersion === resourceVersion) return;
    this.seen = { resourceVersion, spec: lease?.spec, at: this.now() };
  }

  /**
   * The local time from which `identity` may take the Lease: when it was first seen if nobody
   * else holds it (absent, released, or ours), else that time plus the holder's lease duration.
   * -Infinity before anything was observed, so the first attempt is not delayed.
   */
  freeAt(identity: string): number {
    if (!this.seen) return -Infinity;
    const holder = this.seen.spec?.holderIdentity;
    if (!holder || holder === identity) return this.seen.at;
    return this.seen.at + (this.seen.spec?.leaseDurationSeconds ?? 0) * 1000;
  }

  /** Whether another identity's lease is still valid now, by the local clock. */
  heldByOther(identity: string): boolean {
    return this.freeAt(identity) > this.now();
  }
}
