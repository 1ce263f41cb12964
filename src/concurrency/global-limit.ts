/**
 * @module `concurrency: { limit, scope: global }`: a semaphore in Redis shared by every
 * instance. Each call holds a lease (a sorted-set member scored by its expiry, Redis's own
 * clock), so the slots of an instance that dies expire instead of leaking. Acquire is one Lua
 * script (expire old leases, count, add), atomic in Redis. Like the dedupe store, it never
 * blocks a request on Redis: no offline queue, short timeouts; a failure is the caller's to
 * handle (it falls back to the per-process limit).
 * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type * as IORedis from "ioredis";
import type { Redis } from "ioredis";

const PREFIX = "whs:limit:";
const load = createRequire(import.meta.url);

// KEYS[1] the route's set; ARGV: lease ms, limit, token. Returns 1 when a slot was taken.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  return 1
end
return 0`;

export class GlobalLimiter {
  readonly #redis: Redis;
  #connecting: Promise<void> | undefined;

  constructor(url: string, onError: (error: Error) => void) {
    const { Redis: RedisClient } = load("ioredis") as typeof IORedis;
    this.#redis = new RedisClient(url, { lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1000, commandTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: (times) => Math.min(times * 100, 1000) });
    this.#redis.on("error", onError);
    this.#connecting = this.#redis.connect().then(
      () => {},
      () => {},
    );
    void this.#connecting.then(() => (this.#connecting = undefined));
  }

  /** A lease token, or undefined when all `limit` slots are held. Rejects when Redis fails. */
  async acquire(key: string, limit: number, leaseMs: number): Promise<string | undefined> {
    if (this.#connecting !== undefined) await this.#connecting;
    const token = randomUUID();
    const taken = await this.#redis.eval(ACQUIRE, 1, PREFIX + key, Math.max(1, Math.round(leaseMs)), limit, token);
    return taken === 1 ? token : undefined;
  }

  async release(key: string, token: string): Promise<void> {
    await this.#redis.zrem(PREFIX + key, token);
  }

  close(): void {
    this.#redis.disconnect();
  }
}
