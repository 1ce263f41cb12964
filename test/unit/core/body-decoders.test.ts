import { describe, expect, it } from "vitest";
import { acceptsBody, decoderFor, formBody, jsonBody, nestedDeeper, parseJson } from "../../../src/platforms/body-decoders.js";

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

describe("formBody", () => {
  const form = formBody({ jsonField: "payload" });

  it("reads fields as strings, the last of a repeated one, and parses the JSON field in place", () => {
    const bytes = Buffer.from(`token=t&a=1&a=2&empty=&sp=a+b%20c&payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", n: [1] }))}`);
    expect(form.decode(bytes, 8)).toEqual({ ok: true, value: { token: "t", a: "2", empty: "", sp: "a b c", payload: { type: "block_actions", n: [1] } } });
  });

  it("answers 400 for a JSON field that is not JSON, and counts its nesting from the form", () => {
    expect(form.decode(Buffer.from("payload=%7Bnope"), 8)).toEqual({ ok: false, code: "WHS_ERR_BODY_NOT_JSON" });
    const deep = encodeURIComponent(JSON.stringify({ a: { b: { c: 1 } } }));
    expect(form.decode(Buffer.from(`payload=${deep}`), 4)).toMatchObject({ ok: true });
    expect(form.decode(Buffer.from(`payload=${deep}`), 3)).toEqual({ ok: false, code: "WHS_ERR_BODY_TOO_DEEP", args: [3] });
  });

  it("keeps a field named __proto__ as a field, not a prototype", () => {
    const read = formBody().decode(Buffer.from("__proto__=x&constructor=y"), 8);
    expect(read.ok && Object.getPrototypeOf(read.value)).toBe(Object.prototype);
    expect(read.ok && Object.keys(read.value as object)).toEqual(["__proto__", "constructor"]);
  });

  it("is chosen by media type, and accepted only by adapters that name it", () => {
    expect(decoderFor([jsonBody, form], "application/x-www-form-urlencoded; charset=utf-8")).toBe(form);
    expect(decoderFor([jsonBody, form], "application/vnd.x+json")).toBe(jsonBody);
    expect(decoderFor([jsonBody], "application/x-www-form-urlencoded")).toBeUndefined();
    expect(acceptsBody({}, "json")).toBe(true);
    expect(acceptsBody({}, "form")).toBe(false);
    expect(acceptsBody({ bodies: [form] }, "form")).toBe(true);
    expect(acceptsBody({ bodies: [form] }, "json")).toBe(false);
  });
});
