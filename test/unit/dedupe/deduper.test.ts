import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDeduper } from "../../../src/dedupe/deduper.js";
import type { DedupeStore } from "../../../src/dedupe/types.js";
import type { PlatformAdapter } from "../../../src/platforms/types.js";

const logs: string[] = [];
const logger = { warn: (_o: unknown, msg?: string) => void logs.push(`warn ${msg}`), info: (_o: unknown, msg?: string) => void logs.push(`info ${msg}`) };
const adapter = { name: "dialogflow", dedupeKey: "responseId" } as unknown as PlatformAdapter;
const server = { ttl: 60_000, store: "memory", maxEntries: 100 };
/** The store key: webhook path and the SHA-256 of the delivery id (never the raw id). */
const keyOf = (path: string, id: string) => `${path}:${createHash("sha256").update(id).digest("base64url")}`;

describe("createDeduper", () => {
  it("keys by webhook path and the adapter default when server.dedupe is set", () => {
    const d = createDeduper({ server, logger });
    expect(d.keyFor({ path: "/es", config: {} }, adapter, { responseId: "r1" }, {})).toBe(keyOf("/es", "r1"));
    expect(d.keyFor({ path: "/es", config: { dedupe: false } }, adapter, { responseId: "r1" }, {})).toBeUndefined();
    const off = createDeduper({ server: undefined, logger });
    expect(off.keyFor({ path: "/es", config: {} }, adapter, { responseId: "r1" }, {})).toBeUndefined();
    expect(off.keyFor({ path: "/es", config: { dedupe: { key: "id" } } }, adapter, { id: 7 }, {})).toBe(keyOf("/es", "7"));
  });

  it("hashes long ids into short keys", () => {
    const d = createDeduper({ server, logger });
    const key = d.keyFor({ path: "/g", config: { dedupe: { key: "id" } } }, adapter, { id: "x".repeat(900_000) }, {});
    expect(key).toBe(keyOf("/g", "x".repeat(900_000)));
    expect(key?.length).toBeLessThan(60);
  });

  it("keys Standard Webhooks deliveries by their webhook-id header by default", () => {
    const d = createDeduper({ server, logger });
    const signed = { path: "/sw", config: { auth: { signature: { scheme: "standard-webhooks" } } } };
    expect(d.keyFor(signed, adapter, { responseId: "r1" }, { "webhook-id": "msg_2Kx" })).toBe(keyOf("/sw", "msg_2Kx"));
    expect(d.keyFor(signed, adapter, { responseId: "r1" }, {})).toBeUndefined();
    expect(d.keyFor({ ...signed, config: { ...signed.config, dedupe: { key: "responseId" } } }, adapter, { responseId: "r1" }, { "webhook-id": "m" })).toBe(keyOf("/sw", "r1"));
    const hmac = { path: "/h", config: { auth: { signature: { scheme: "hmac" } } } };
    expect(d.keyFor(hmac, adapter, { responseId: "r1" }, { "webhook-id": "m" })).toBe(keyOf("/h", "r1"));
  });

  it("runs once for simultaneous duplicates and replays the stored answer later", async () => {
    const d = createDeduper({ server, logger });
    let calls = 0;
    // The first answer is held until both deliveries have arrived.
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    const produce = async () => {
      calls++;
      await held;
      return { status: 200, body: { n: calls } };
    };
    const both = Promise.all([d.run("/es:r1", produce), d.run("/es:r1", produce)]);
    answer();
    const [a, b] = await both;
    expect(calls).toBe(1);
    expect(a).toEqual({ answer: { status: 200, body: { n: 1 } }, duplicate: false });
    expect(b).toEqual({ answer: { status: 200, body: { n: 1 } }, duplicate: true });
    const later = await d.run("/es:r1", produce);
    expect(later.duplicate).toBe(true);
    expect(calls).toBe(1);
  });

  it("finds an answer another instance stored between our get and our claim, or our wait and its release", async () => {
    const stored = { status: 200, body: { from: "other instance" } };
    // Instance B finished in the gap: the first get misses, the lock is free, the answer is there now.
    const gets: (typeof stored | undefined)[] = [undefined, stored];
    const released: string[] = [];
    const racy: DedupeStore = {
      kind: "test",
      get: async () => (gets.length > 0 ? gets.shift() : stored),
      set: async () => {},
      claim: async () => true,
      claimed: async () => false,
      renew: async () => {},
      release: async (key) => void released.push(key),
      close: async () => {},
    };
    let calls = 0;
    const produce = async () => ({ status: 200, body: { calls: ++calls } });
    const d = createDeduper({ server, logger, store: racy });
    expect(await d.run("k", produce)).toEqual({ answer: stored, duplicate: true });
    expect(calls).toBe(0);
    expect(released).toEqual(["k"]);

    // Waiting on B's lock: B stores and releases between our get and our claimed() check.
    const waits: (typeof stored | undefined)[] = [undefined, undefined, stored];
    const waiting: DedupeStore = { ...racy, get: async () => waits.shift(), claim: async () => false, claimed: async () => false };
    const d2 = createDeduper({ server, logger, store: waiting });
    expect(await d2.run("k2", produce)).toEqual({ answer: stored, duplicate: true });
    expect(calls).toBe(0);
  });

  it("does not store error answers, so a retry runs the handler again", async () => {
    const d = createDeduper({ server, logger });
    let calls = 0;
    const produce = async () => ({ status: calls++ === 0 ? 500 : 200 });
    expect((await d.run("k", produce)).answer.status).toBe(500);
    expect((await d.run("k", produce)).answer.status).toBe(200);
    expect(calls).toBe(2);
  });

  it("answers without dedupe when the store fails, logging once per outage", async () => {
    logs.length = 0;
    let broken = true;
    const store: DedupeStore = {
      kind: "test",
      get: async () => {
        if (broken) throw new Error("down");
        return undefined;
      },
      set: async () => {},
      claim: async () => true,
      claimed: async () => false,
      renew: async () => {},
      release: async () => {},
      close: async () => {},
    };
    const d = createDeduper({ server, logger, store });
    let calls = 0;
    const produce = async () => ({ status: 200, body: ++calls });
    await d.run("a", produce);
    await d.run("b", produce);
    expect(calls).toBe(2);
    expect(logs.filter((l) => l.startsWith("warn"))).toHaveLength(1);
    broken = false;
    await d.run("c", produce);
    expect(logs.at(-1)).toBe("info dedupe store is back");
  });
});
