// A bounded least-recently-used map on top of Map's insertion order: per-visitor state (visits, exposure
// deduplication) must not grow with the number of visitors a long-running server sees.

/** Map with at most `capacity` entries; reading or writing an entry makes it the most recent. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError("LRU capacity must be at least 1");
  }

  /** The value of `key` (refreshing its recency), or undefined. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** The value of `key` without refreshing its recency (cheaper: no Map delete/insert). */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Whether `key` is present (without refreshing it). */
  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets `key`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }

  /** Removes `key`. */
  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
