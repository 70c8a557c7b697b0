import { leaseKind } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import { Informer } from '../informer/informer.js';
import type { Logger } from '../ops/logger.js';
import type { Lease } from './lease-record.js';

export interface LeaseWatchOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly log: Logger;
  /** Every version of the Lease as the watch delivers it; undefined once it is deleted. */
  readonly onLease: (lease: Lease | undefined) => void;
}

/**
 * Watches the one Lease (fieldSelector metadata.name) so a candidate sees each renewal when it
 * happens, not at its next poll: how late it sees the last renewal is how late it takes over.
 * The informer underneath retries, relists on 410 Gone and cuts silent watches.
 */
export class LeaseWatch {
  private readonly informer: Informer<Lease>;
  private wake: (() => void) | undefined;

  constructor(options: LeaseWatchOptions) {
    this.informer = new Informer<Lease>(options.client, {
      kind: leaseKind,
      namespace: options.namespace,
      fieldSelector: `metadata.name=${options.name}`,
      log: options.log,
    });
    this.informer.onChange((change) => {
      options.onLease(change.type === 'deleted' ? undefined : change.object);
      this.wake?.();
    });
  }

  start(): void {
    this.informer.start();
  }

  async stop(): Promise<void> {
    this.wake?.();
    await this.informer.stop();
  }

  /**
   * Resolves on the Lease's next change, after `ms`, or when `signal` aborts (never rejects).
   * One waiter at a time: the elector's acquire loop is the only caller.
   */
  async changeOrTimeout(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    // A plain timer and listener rather than AbortSignal.any: a follower waits here on every
    // renewal for as long as it runs, and each combined signal would live as long as `signal`.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener('abort', done);
      this.wake = done;
    });
  }
}
