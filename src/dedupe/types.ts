/**
 * @module The dedupe store contract: a first answer kept for `ttl`, and a short lock so
 * that instances sharing a store run a handler once for deliveries arriving together.
 */

/** The first answer to a turn, replayed for its duplicates. */
export interface StoredAnswer {
  status: number;
  /** JSON body; absent for an empty answer (204). */
  body?: unknown;
  /** Route label, so a replay is counted under the route that answered. */
  route?: string;
}

export interface DedupeStore {
  /** `memory` or `redis`, for logs. */
  readonly kind: string;
  get(key: string): Promise<StoredAnswer | undefined>;
  set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  /** Become the instance that answers `key` for up to `ms`; false when another holds it. */
  claim(key: string, ms: number): Promise<boolean>;
  /** Extend our claim on `key` to `ms` from now while its handler runs (retake it if the store lost it). */
  renew(key: string, ms: number): Promise<void>;
  /** True while some instance holds the claim on `key`. */
  claimed(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
  close(): Promise<void>;
}
