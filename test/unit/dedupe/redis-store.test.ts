/** RedisStore against a real redis-server: stored answers expire, claims are exclusive and leased, an outage is reported. */
import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../../../src/dedupe/redis-store.js";
import { freePort, startRedis } from "../../helpers/redis-server.js";

let redis: ChildProcess;
let url = "";

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  url = `redis://127.0.0.1:${port}`;
});

afterAll(() => {
  redis?.kill("SIGKILL");
});

describe("RedisStore", () => {
  it("stores an answer for its ttl and gives it back", async () => {
    const store = new RedisStore(url, () => {});
    try {
      await store.set("k1", { status: 200, body: { text: "hi" }, route: "event=a" }, 200);
      expect(await store.get("k1")).toEqual({ status: 200, body: { text: "hi" }, route: "event=a" });
      expect(await store.get("nope")).toBeUndefined();
      await expect.poll(() => store.get("k1"), { timeout: 3000 }).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("renews its own claim, takes it back after Redis lost it, and never renews another's", async () => {
    const a = new RedisStore(url, () => {}, "renew:");
    const b = new RedisStore(url, () => {}, "renew:");
    const client = new Redis(url);
    try {
      expect(await a.claim("r1", 300)).toBe(true);
      await a.renew("r1", 60_000);
      expect(await client.pttl("renew:dedupe:r1:lock")).toBeGreaterThan(300);
      // Redis restarted empty: the renewal writes the lock again, so duplicates still wait.
      await client.del("renew:dedupe:r1:lock");
      await a.renew("r1", 60_000);
      expect(await b.claim("r1", 300)).toBe(false);
      // Lost, then taken by another instance: that one's lock stays its own.
      expect(await a.claim("r3", 60_000)).toBe(true);
      await client.del("renew:dedupe:r3:lock");
      expect(await b.claim("r3", 60_000)).toBe(true);
      await a.renew("r3", 60_000);
      await b.release("r3");
      expect(await a.claimed("r3")).toBe(false);
    } finally {
      client.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("lets one instance claim a key at a time, until released or the lease ends", async () => {
    const a = new RedisStore(url, () => {});
    const b = new RedisStore(url, () => {});
    try {
      expect(await a.claim("c1", 5000)).toBe(true);
      expect(await b.claim("c1", 5000)).toBe(false);
      expect(await b.claimed("c1")).toBe(true);
      await a.release("c1");
      expect(await b.claimed("c1")).toBe(false);
      expect(await b.claim("c1", 100)).toBe(true);
      // A crashed holder never releases: the lease lets the key go.
      await expect.poll(() => a.claim("c1", 5000), { timeout: 3000 }).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("reports a store it cannot reach through onError, and rejects the call", async () => {
    const errors: Error[] = [];
    const store = new RedisStore(`redis://127.0.0.1:${await freePort()}`, (error) => errors.push(error));
    try {
      await expect(store.get("x")).rejects.toThrow();
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
