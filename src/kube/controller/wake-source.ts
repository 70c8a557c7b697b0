import type { ObjectKey } from '../client/objects.js';
import type { WatchSource } from './watch-source.js';

/** A source of keys that code outside the watches wants reconciled soon. */
export interface WakeSource extends WatchSource {
  /** Queues the key on every controller subscribed (none yet: dropped; the key's own requeue stands). */
  wake(key: ObjectKey): void;
}

/**
 * Lets a background watch (e.g. an SSH banner seen) reconcile an object at once, instead of the
 * object re-reconciling on a short timer to ask. Nothing to list, so it is synced from the start.
 */
export function wakeSource(kind: string): WakeSource {
  const subscribers = new Set<(key: ObjectKey) => void>();
  return {
    kind,
    hasSynced: true,
    synced: Promise.resolve(),
    subscribe(enqueue) {
      subscribers.add(enqueue);
      return () => subscribers.delete(enqueue);
    },
    wake(key) {
      for (const enqueue of subscribers) enqueue(key);
    },
  };
}
