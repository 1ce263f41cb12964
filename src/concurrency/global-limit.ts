/**
 * @module `concurrency: { limit, scope: global }`: a semaphore in Redis shared by every
 * instance. Each call holds a lease (a sorted-set member scored by its expiry, Redis's own
 * clock), short (`server.leaseTtl`) and renewed every third of it while the call runs, so a
 * long call keeps its slot and the slots of an instance that dies expire soon. Acquire is one
 * Lua script (expire old leases, count, add), atomic in Redis. Like the dedupe store, it never
 * blocks a request on Redis: no offline queue, short timeouts; a failure is the caller's to
 * handle (it falls back to the per-process limit).
 * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type * as IORedis from "ioredis";
import type { Redis } from "ioredis";

const load = createRequire(import.meta.url);

// KEYS[1] the count's set; ARGV: lease ms, limit, token. Returns 1 when a slot was taken.
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

// Pushes a running call's expiry on. ZADD without XX: a Redis restarted empty gets the lease
// back, so calls still running count again instead of being forgotten.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
return 1`;

// Leases still running, scored by expiry, in Redis's clock.
const IN_USE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

/** Most tokens kept to give back; past it a stall's late leases expire on their own (leaseTtl). */
const MAX_ORPHANS = 10_000;

/** A slot held while a call runs; `release` once it really ends. */
export interface HeldLease {
  release(): void;
}

interface LimiterOptions {
  url: string;
  /** `server.redisPrefix`. */
  prefix: string;
  /** ms a lease lives unless renewed; renewed every third of it. */
  leaseMs: number;
  onError: (error: Error) => void;
  /** Redis answered again after a failure (a command succeeded, or it reconnected). */
  onAnswer?: () => void;
  /** After each renewal, for debug logs. */
  onRenew?: (key: string) => void;
}

export class GlobalLimiter {
  readonly #redis: Redis;
  readonly #options: LimiterOptions;
  #connecting: Promise<void> | undefined;
  /**
   * Tokens whose acquire or release failed on this side: Redis may still have run the
   * command (a stall answers late, after our timeout), so the slot would stay taken for a
   * whole lease with no call behind it. Removed once Redis answers again.
   */
  readonly #orphans = new Map<string, { key: string; until: number }>();
  #freeing = false;

  constructor(options: LimiterOptions) {
    this.#options = options;
    const { Redis: RedisClient } = load("ioredis") as typeof IORedis;
    this.#redis = new RedisClient(options.url, { lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1000, commandTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: (times) => Math.min(times * 100, 1000) });
    this.#redis.on("error", options.onError);
    this.#redis.on("ready", () => {
      options.onAnswer?.();
      this.#freeOrphans();
    });
    this.#connecting = this.#redis.connect().then(
      () => {},
      () => {},
    );
    void this.#connecting.then(() => (this.#connecting = undefined));
  }

  /** A lease, or undefined when all `limit` slots are held. Rejects when Redis fails. */
  async acquire(name: string, limit: number): Promise<HeldLease | undefined> {
    if (this.#connecting !== undefined) await this.#connecting;
    const key = this.#options.prefix + name;
    const token = randomUUID();
    // Not connected: ioredis refuses the command without sending it (no offline queue), so nothing can run late.
    const sent = this.#redis.status === "ready";
    let taken: unknown;
    try {
      taken = await this.#redis.eval(ACQUIRE, 1, key, this.#ms(), limit, token);
    } catch (error) {
      if (sent) this.#orphan(key, token);
      throw error;
    }
    this.#answered();
    return taken === 1 ? this.#hold(key, token) : undefined;
  }

  /** Leases running now under `name`, on every instance. */
  async inUse(name: string): Promise<number> {
    return Number(await this.#redis.eval(IN_USE, 1, this.#options.prefix + name));
  }

  close(): void {
    this.#redis.disconnect();
  }

  #ms(): number {
    return Math.max(1, Math.round(this.#options.leaseMs));
  }

  #hold(key: string, token: string): HeldLease {
    const timer = setInterval(() => {
      this.#redis.eval(RENEW, 1, key, this.#ms(), token).then(
        () => {
          this.#answered();
          this.#options.onRenew?.(key);
        },
        this.#options.onError,
      );
    }, this.#options.leaseMs / 3);
    // A renewal never keeps the process alive: shutdown waits for the calls, not their leases.
    timer.unref();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.#redis.zrem(key, token).then(
          () => this.#answered(),
          (error: Error) => {
            this.#orphan(key, token);
            this.#options.onError(error);
          },
        );
      },
    };
  }

  /** Remove at once (queued behind the late command on the same connection), and again when Redis answers. */
  #orphan(key: string, token: string): void {
    // Redis stalled under load: entries past their lease are dropped, they have expired there.
    if (this.#orphans.size >= MAX_ORPHANS) this.#dropExpired(Date.now());
    if (this.#orphans.size >= MAX_ORPHANS) return;
    this.#orphans.set(token, { key, until: Date.now() + this.#ms() });
    this.#redis.zrem(key, token).then(
      () => this.#orphans.delete(token),
      () => {},
    );
  }

  #answered(): void {
    this.#options.onAnswer?.();
    if (this.#orphans.size > 0) this.#freeOrphans();
  }

  #freeOrphans(): void {
    // One round at a time: every answered command would otherwise send the same ZREMs again.
    if (this.#freeing) return;
    this.#dropExpired(Date.now());
    if (this.#orphans.size === 0) return;
    this.#freeing = true;
    const removals = [...this.#orphans].map(([token, { key }]) =>
      this.#redis.zrem(key, token).then(
        () => this.#orphans.delete(token),
        () => {},
      ),
    );
    void Promise.all(removals).then(() => (this.#freeing = false));
  }

  /** Past its lease: Redis has expired it already. */
  #dropExpired(now: number): void {
    for (const [token, { until }] of this.#orphans) if (until < now) this.#orphans.delete(token);
  }
}
