import type { KubeObject, ObjectKey } from '../client/objects.js';
import type { Change, Informer } from '../informer/informer.js';

/** Maps one change of a watched kind to the keys of the objects to reconcile. */
export type KeyMapper<T> = (change: Change<T>) => readonly ObjectKey[];

/** A watched kind bound to its mapper, with the type erased so one controller mixes kinds. */
export interface WatchSource {
  readonly kind: string;
  readonly hasSynced: boolean;
  readonly synced: Promise<void>;
  /**
   * Sends the keys of every cached object, then those of every change, to `enqueue` (client-go
   * replays the cache to late handlers the same way). Returns the function that stops it.
   */
  subscribe(enqueue: (key: ObjectKey) => void): () => void;
}

export function watchSource<T extends KubeObject>(informer: Informer<T>, map: KeyMapper<T>): WatchSource {
  return {
    kind: informer.kind.kind,
    get hasSynced(): boolean {
      return informer.hasSynced;
    },
    synced: informer.synced,
    subscribe(enqueue): () => void {
      const send = (change: Change<T>): void => {
        for (const key of map(change)) enqueue(key);
      };
      const unsubscribe = informer.onChange(send);
      for (const object of informer.store.list()) send({ type: 'added', object });
      return unsubscribe;
    },
  };
}
