/**
 * @module The shared dedupe store on Redis (ioredis): answers under `<redisPrefix>dedupe:<key>` with
 * a PX ttl, and `SET … NX PX` as the lock that makes one instance run the handler.
 * Never blocks a request on Redis: no offline queue (commands fail at once while
 * disconnected), a short connect timeout and a per-command timeout; the deduper treats
 * every failure as "serve without dedupe".
 * @see https://redis.io/docs/latest/commands/set/ (NX, PX)
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type * as IORedis from "ioredis";
import type { Redis } from "ioredis";
import type { DedupeStore, StoredAnswer } from "./types.js";

// Loaded on first use: most servers never talk to Redis and should not pay its start-up.
const load = createRequire(import.meta.url);

const RENEW = `
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if held == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

export class RedisStore implements DedupeStore {
  readonly kind = "redis";
  readonly #redis: Redis;
  /** `server.redisPrefix` + `dedupe:`. */
  readonly #prefix: string;
  /** Our lock values, so release() never deletes a lock another instance took after ours expired. */
  readonly #tokens = new Map<string, string>();
  /** Settles when the first connection attempt ends; requests arriving at startup wait for it. */
  #firstConnect: Promise<void> | undefined;

  constructor(url: string, onError: (error: Error) => void, redisPrefix = "whs:", onReady?: () => void) {
    this.#prefix = `${redisPrefix}dedupe:`;
    const { Redis: RedisClient } = load("ioredis") as typeof IORedis;
    this.#redis = new RedisClient(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: 1000,
      commandTimeout: 500,
      maxRetriesPerRequest: 0,
      // Keep trying in the background, at most once a second.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    // Without a listener ioredis would raise unhandled 'error' events.
    this.#redis.on("error", onError);
    if (onReady !== undefined) this.#redis.on("ready", onReady);
    this.#firstConnect = this.#redis.connect().then(
      () => {},
      () => {},
    );
    void this.#firstConnect.then(() => (this.#firstConnect = undefined));
  }

  /** Every command waits for the first connection attempt (the offline queue is off). */
  async #ready(): Promise<Redis> {
    if (this.#firstConnect !== undefined) await this.#firstConnect;
    return this.#redis;
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    const text = await (await this.#ready()).get(this.#prefix + key);
    return text === null ? undefined : (JSON.parse(text) as StoredAnswer);
  }

  async set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    await (await this.#ready()).set(this.#prefix + key, JSON.stringify(answer), "PX", Math.max(1, Math.round(ttlMs)));
  }

  async claim(key: string, ms: number): Promise<boolean> {
    const token = randomUUID();
    const ok = await (await this.#ready()).set(`${this.#prefix}${key}:lock`, token, "PX", Math.max(1, Math.round(ms)), "NX");
    if (ok !== "OK") return false;
    this.#tokens.set(key, token);
    return true;
  }

  async renew(key: string, ms: number): Promise<void> {
    const token = this.#tokens.get(key);
    if (token === undefined) return;
    // Ours: push the expiry on. Gone (Redis restarted empty, or it lapsed): take it back, so a
    // duplicate arriving now still waits for us. Another instance's: leave it.
    await (await this.#ready()).eval(RENEW, 1, `${this.#prefix}${key}:lock`, token, Math.max(1, Math.round(ms)));
  }

  async claimed(key: string): Promise<boolean> {
    return (await (await this.#ready()).exists(`${this.#prefix}${key}:lock`)) === 1;
  }

  async release(key: string): Promise<void> {
    const token = this.#tokens.get(key);
    if (token === undefined) return;
    this.#tokens.delete(key);
    // Delete only if the lock is still ours (compare-and-delete in one step).
    await (await this.#ready()).eval('if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end', 1, `${this.#prefix}${key}:lock`, token);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
