/**
 * @module Duplicate deliveries: the first answer for a key is stored for `ttl` and replayed
 * for repeats without running the handler. Duplicates arriving together in one process wait
 * for the first's promise; across processes (Redis) the first claims a short lock, renewed
 * while its handler runs, and the others poll for its stored answer. A store failure never fails a request: it is logged
 * once per outage and the request is answered without dedupe.
 */
import { hash } from "node:crypto";
import { schemeDedupeKey } from "../auth/signature-schemes.js";
import { schemaDefault } from "../config/schema-defaults.js";
import { parseDuration } from "../config/units.js";
import type { Logger } from "pino";
import type { DedupeServerConfig } from "../config/types.js";
import type { PlatformAdapter } from "../platforms/types.js";
import type { Headers } from "../types.js";
import { compileKey, keySpec, type KeyReader } from "./dedupe-key.js";
import { MemoryStore } from "./memory-store.js";
import { RedisStore } from "./redis-store.js";
import { healthFailed, healthOk, type StoreHealth } from "../core/store-health.js";
import type { DedupeStore, StoredAnswer } from "./types.js";


/** Longest a duplicate waits for another instance still running the first delivery (its lock renewed). */
const MAX_WAIT_MS = 15_000;
const POLL_MS = 20;

/** What dedupe needs from a compiled webhook. */
interface DedupeWebhook {
  path: string;
  config: { dedupe?: { key: string } | false; auth?: { signature?: { scheme: string } } };
  /** `config.dedupe.key` compiled, by the runtime build (which reports a key that does not compile). */
  dedupeKey?: KeyReader;
}

interface RunResult {
  answer: StoredAnswer;
  /** True when the answer came from an earlier delivery; the handler did not run. */
  duplicate: boolean;
}

interface Deduper {
  /** The store key for this request, or undefined when dedupe is off for it. */
  keyFor(webhook: DedupeWebhook, adapter: PlatformAdapter, body: unknown, headers: Headers): string | undefined;
  run(key: string, produce: () => Promise<StoredAnswer>): Promise<RunResult>;
  close(): Promise<void>;
}

interface DeduperOptions {
  /** `server.dedupe`; undefined: only webhooks that set `dedupe` use it (memory defaults). */
  server: DedupeServerConfig | undefined;
  logger: Pick<Logger, "warn" | "info"> & Partial<Pick<Logger, "debug">>;
  /** `server.redisPrefix`. @default "whs:" */
  redisPrefix?: string;
  /**
   * `server.leaseTtl`: the lock's life unless renewed, every third of it, while the handler
   * runs. Short, so a delivery retried after an instance crashed waits at most this long.
   */
  leaseMs?: number;
  /** Updated on each Redis failure and answer, for `/metrics`. */
  health?: StoreHealth;
  /** For tests. */
  store?: DedupeStore;
}

export function createDeduper(options: DeduperOptions): Deduper {
  const settings: DedupeServerConfig = options.server ?? memoryDefaults();
  const serverWide = options.server !== undefined;
  const { logger } = options;
  let store: DedupeStore | undefined = options.store;
  const leaseMs = options.leaseMs ?? parseDuration(schemaDefault("server.leaseTtl") as string) ?? 3000;
  let down = false;

  const storeFailed = (error: unknown) => {
    healthFailed(options.health);
    if (down) return;
    down = true;
    logger.warn({ store: store?.kind, err: error instanceof Error ? error.message : String(error) }, "dedupe store unavailable; answering without dedupe until it is back");
  };
  const storeOk = () => {
    healthOk(options.health);
    if (!down) return;
    down = false;
    logger.info({ store: store?.kind }, "dedupe store is back");
  };
  const getStore = (): DedupeStore => {
    if (store === undefined) {
      store = /^rediss?:\/\//i.test(settings.store) ? new RedisStore(settings.store, storeFailed, options.redisPrefix, () => healthOk(options.health)) : new MemoryStore({ maxEntries: settings.maxEntries });
    }
    return store;
  };
  // Connect a shared store at startup so the first deliveries already see it.
  if (serverWide) getStore();

  const readers = new Map<string, KeyReader>();
  const inflight = new Map<string, Promise<StoredAnswer>>();

  async function waitForOther(s: DedupeStore, key: string): Promise<StoredAnswer | undefined> {
    const until = Date.now() + MAX_WAIT_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const answer = await s.get(key);
      if (answer !== undefined) return answer;
      // Released between our get and this check: the answer may have been stored just before.
      // Gone for good (an error answer is not stored): answer ourselves.
      if (!(await s.claimed(key))) return s.get(key);
    }
    return undefined;
  }

  async function resolve(key: string, produce: () => Promise<StoredAnswer>): Promise<RunResult> {
    const s = getStore();
    let owner = false;
    try {
      const stored = await s.get(key);
      if (stored !== undefined) {
        storeOk();
        return { answer: stored, duplicate: true };
      }
      owner = await s.claim(key, leaseMs);
      storeOk();
      if (owner) {
        // Another instance may have stored its answer and released its lock between our get and claim.
        const late = await s.get(key);
        if (late !== undefined) {
          s.release(key).catch(storeFailed);
          return { answer: late, duplicate: true };
        }
      } else {
        const other = await waitForOther(s, key);
        if (other !== undefined) return { answer: other, duplicate: true };
      }
    } catch (error) {
      storeFailed(error);
      return { answer: await produce(), duplicate: false };
    }
    const renewal = owner ? setInterval(() => s.renew(key, leaseMs).then(() => logger.debug?.({ key }, "dedupe lock renewed"), storeFailed), leaseMs / 3) : undefined;
    // Never what keeps the process alive: shutdown waits for the handler, not its lock.
    renewal?.unref();
    try {
      const answer = await produce();
      // Errors and rate limits are not replayed: a retry deserves a fresh attempt.
      if (answer.status < 400) await s.set(key, answer, settings.ttl).then(storeOk, storeFailed);
      return { answer, duplicate: false };
    } finally {
      clearInterval(renewal);
      if (owner) s.release(key).catch(storeFailed);
    }
  }

  return {
    keyFor(webhook, adapter, body, headers) {
      const spec = keySpec(webhook.config.dedupe, schemeDedupeKey(webhook.config.auth) ?? adapter.dedupeKey, serverWide);
      if (spec === undefined) return undefined;
      // The webhook's own key was compiled with the runtime; a platform's default is compiled here, once.
      let read = typeof webhook.config.dedupe === "object" ? webhook.dedupeKey : readers.get(spec);
      if (read === undefined) {
        read = compileKey(spec);
        readers.set(spec, read);
      }
      const value = read(body, headers);
      // Hashed: a delivery id is the sender's (up to bodyLimit long); the key must stay small and plain.
      return value === undefined ? undefined : `${webhook.path}:${hash("sha256", value, "base64url")}`;
    },
    async run(key, produce) {
      const first = inflight.get(key);
      if (first !== undefined) return { answer: await first, duplicate: true };
      const result = resolve(key, produce);
      const answer = result.then((r) => r.answer);
      inflight.set(key, answer);
      // The waiters see the rejection; this copy only keeps it from being unhandled.
      answer.catch(() => {});
      try {
        return await result;
      } finally {
        inflight.delete(key);
      }
    },
    async close() {
      await store?.close();
    },
  };
}

/** `server.dedupe`'s defaults, for webhooks that set `dedupe` when the server sets none. */
function memoryDefaults(): DedupeServerConfig {
  return {
    ttl: parseDuration(schemaDefault("server.dedupe.ttl") as string) ?? 0,
    store: schemaDefault("server.dedupe.store") as string,
    maxEntries: schemaDefault("server.dedupe.maxEntries") as number,
  };
}
