import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/dedupe/memory-store.js";

describe("MemoryStore", () => {
  it("returns a stored answer until its ttl passes", async () => {
    let now = 1000;
    const store = new MemoryStore({ maxEntries: 10, now: () => now });
    await store.set("/es:a", { status: 200, body: { fulfillmentText: "hi" } }, 500);
    expect(await store.get("/es:a")).toEqual({ status: 200, body: { fulfillmentText: "hi" } });
    now = 1499;
    expect(await store.get("/es:a")).toBeDefined();
    now = 1500;
    expect(await store.get("/es:a")).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it("drops the least recently used entry when full", async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set("a", { status: 200 }, 60_000);
    await store.set("b", { status: 200 }, 60_000);
    await store.get("a"); // a is now the most recently used
    await store.set("c", { status: 200 }, 60_000);
    expect(store.size).toBe(2);
    expect(await store.get("b")).toBeUndefined();
    expect(await store.get("a")).toBeDefined();
    expect(await store.get("c")).toBeDefined();
  });

  it("always grants claims (one process: the deduper's promise map serializes duplicates)", async () => {
    const store = new MemoryStore({ maxEntries: 1 });
    expect(await store.claim("k", 1000)).toBe(true);
    expect(await store.claimed("k")).toBe(false);
  });
});
