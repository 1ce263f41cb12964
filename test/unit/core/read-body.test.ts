import { describe, expect, it } from "vitest";
import { nestedDeeper, parseJson } from "../../../src/core/read-body.js";

/** `levels` nested containers: arrays, objects, or both in turn, with a primitive beside each. */
function nest(levels: number, kind: "array" | "object" | "mixed"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) {
    const array = kind === "array" || (kind === "mixed" && i % 2 === 0);
    value = array ? ["x", value, 2] : { a: "x", b: value, c: 2 };
  }
  return value;
}

describe("nestedDeeper", () => {
  it.each(["array", "object", "mixed"] as const)("%s: exactly the limit passes, one more does not", (kind) => {
    expect(nestedDeeper(nest(5, kind), 5)).toBe(false);
    expect(nestedDeeper(nest(6, kind), 5)).toBe(true);
  });

  it("finds the deep branch behind shallow ones and ignores primitives and null", () => {
    expect(nestedDeeper({ a: 1, b: null, c: "s", d: [1, [2]], e: { f: nest(4, "mixed") } }, 5)).toBe(true);
    expect(nestedDeeper({ a: 1, b: null, c: "s", d: [1, [2]], e: { f: nest(3, "mixed") } }, 5)).toBe(false);
    expect(nestedDeeper("text", 0)).toBe(false);
  });

  it("is what parseJson answers 400 for", () => {
    expect(parseJson(Buffer.from(JSON.stringify(nest(3, "array"))), 3)).toMatchObject({ ok: true });
    expect(parseJson(Buffer.from(JSON.stringify(nest(4, "array"))), 3)).toEqual({ ok: false, code: "WHS_ERR_BODY_TOO_DEEP", args: [3] });
  });
});
