import type { KubeObject, ObjectKey } from '../client/objects.js';

/** Maps an object to the values it is indexed under (e.g. the Secret names it uses). */
export type IndexFunction<T> = (object: T) => readonly string[];

/**
 * The informer's cache: objects by key, plus named secondary indexes (value → keys) so event
 * mappers can answer "which objects use this Secret" without scanning. Objects handed out are
 * the cached instances: treat them as read-only (clone before changing).
 */
export class ObjectStore<T extends KubeObject> {
  private readonly objects = new Map<ObjectKey, T>();
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indexes = new Map<string, Map<string, Set<ObjectKey>>>();

  get size(): number {
    return this.objects.size;
  }

  get(key: ObjectKey): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): ObjectKey[] {
    return [...this.objects.keys()];
  }

  /** Adds an index and fills it from what is cached; later changes keep it current. */
  addIndex(name: string, index: IndexFunction<T>): void {
    if (this.indexers.has(name)) throw new Error(`index ${name} exists already`);
    this.indexers.set(name, index);
    this.indexes.set(name, new Map());
    for (const [key, object] of this.objects) this.indexInto(name, key, object);
  }

  /** The cached objects indexed under `value` in index `name`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name}`);
    const keys = index.get(value) ?? new Set<ObjectKey>();
    return [...keys].flatMap((key) => this.objects.get(key) ?? []);
  }

  set(key: ObjectKey, object: T): T | undefined {
    const previous = this.objects.get(key);
    if (previous) this.unindex(key, previous);
    this.objects.set(key, object);
    for (const name of this.indexers.keys()) this.indexInto(name, key, object);
    return previous;
  }

  delete(key: ObjectKey): T | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.unindex(key, previous);
    this.objects.delete(key);
    return previous;
  }

  private indexInto(name: string, key: ObjectKey, object: T): void {
    const index = this.indexes.get(name);
    const values = this.indexers.get(name)?.(object) ?? [];
    for (const value of values) {
      const keys = index?.get(value) ?? new Set<ObjectKey>();
      keys.add(key);
      index?.set(value, keys);
    }
  }

  private unindex(key: ObjectKey, object: T): void {
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name);
      for (const value of indexer(object)) {
        const keys = index?.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index?.delete(value);
      }
    }
  }
}
