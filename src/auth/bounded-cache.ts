/**
 * @module A small map with a size bound and per-entry expiry, for what auth fetches (certificate
 * chains, key sets): a request may name any URL a scheme allows, so the cache must not grow
 * with them. The least recently used entry goes first.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** The value, unless absent or expired at `now` (epoch ms). */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= now) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` until `expires` (epoch ms), dropping the least recently used entry when full. */
  set(key: string, value: V, expires: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires });
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get size(): number {
    return this.#entries.size;
  }
}
