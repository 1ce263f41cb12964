import { describe, expect, it } from "vitest";
import { mergeNative } from "../../src/platforms/json.js";

describe("mergeNative", () => {
  it("returns the body unchanged without native", () => {
    const body = { a: 1 };
    expect(mergeNative(body, undefined)).toBe(body);
  });

  it("merges objects key by key; arrays and values replace", () => {
    const body = { a: { b: 1, c: [1, 2] }, d: "x", keep: true };
    const out = mergeNative(body, { a: { c: [3], e: 2 }, d: { now: "object" } });
    expect(out).toEqual({ a: { b: 1, c: [3], e: 2 }, d: { now: "object" }, keep: true });
    expect(body).toEqual({ a: { b: 1, c: [1, 2] }, d: "x", keep: true });
  });

  it("never writes through __proto__", () => {
    const native = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const out = mergeNative({}, native) as Record<string, unknown>;
    expect(out.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.polluted).toBeUndefined();
  });
});
