/**
 * One value per key, kept for the life of the process: an API client per token or per account,
 * whose request budget and error guards must be shared by every reconcile that uses the key.
 * A cached value that no longer `fits` the caller is replaced; `create` is handed the value it
 * replaces, so a successor can take over what must outlive it (a Robot account's budget).
 */
export class KeyedCache<V> {
  readonly #values = new Map<string, V>();

  get(key: string, create: (replaced: V | undefined) => V, fits: (value: V) => boolean = () => true): V {
    const cached = this.#values.get(key);
    if (cached !== undefined && fits(cached)) return cached;
    const value = create(cached);
    this.#values.set(key, value);
    return value;
  }
}
