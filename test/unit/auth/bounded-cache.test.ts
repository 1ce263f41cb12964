import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../../src/auth/bounded-cache.js";

describe("BoundedCache", () => {
  it("keeps a value until it expires", () => {
    const cache = new BoundedCache<number>(4);
    cache.set("a", 1, 1000);
    expect(cache.get("a", 999)).toBe(1);
    expect(cache.get("a", 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("drops the least recently used entry when full", () => {
    const cache = new BoundedCache<number>(2);
    cache.set("a", 1, Infinity);
    cache.set("b", 2, Infinity);
    expect(cache.get("a", 0)).toBe(1); // a is now the most recent
    cache.set("c", 3, Infinity);
    expect(cache.get("b", 0)).toBeUndefined();
    expect(cache.get("a", 0)).toBe(1);
    expect(cache.get("c", 0)).toBe(3);
    expect(cache.size).toBe(2);
  });
});
