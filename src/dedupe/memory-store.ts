/**
 * @module The in-process dedupe store: a Map in insertion order used as a small LRU
 * (a hit moves the entry to the end, the oldest entry goes first when full), entries
 * expire after their ttl. Claims always succeed: in one process the deduper's promise
 * map already makes simultaneous duplicates wait for the first.
 */
import type { DedupeStore, StoredAnswer } from "./types.js";

interface Entry {
  answer: StoredAnswer;
  expires: number;
}

interface MemoryStoreOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

export class MemoryStore implements DedupeStore {
  readonly kind = "memory";
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions) {
    this.#max = Math.max(1, options.maxEntries);
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    return this.getSync(key);
  }

  getSync(key: string): StoredAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.answer;
  }

  async set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { answer, expires: this.#now() + ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  async claim(_key: string, _ms: number): Promise<boolean> {
    return true;
  }

  async renew(_key: string, _ms: number): Promise<void> {}

  async claimed(_key: string): Promise<boolean> {
    return false;
  }

  async release(_key: string): Promise<void> {}

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
