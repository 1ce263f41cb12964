import { describe, expect, it } from "vitest";
import { checkPath, compilePath } from "../../../src/routing/json-path.js";

describe("compilePath", () => {
  it("reads nested objects", () => {
    expect(compilePath("a.b.c")({ a: { b: { c: 3 } } })).toBe(3);
    expect(compilePath("a")({ a: "x" })).toBe("x");
  });

  it("indexes arrays with numeric segments", () => {
    const body = { a: [{ b: 1 }, { b: [10, 20] }] };
    expect(compilePath("a.0.b")(body)).toBe(1);
    expect(compilePath("a.1.b.1")(body)).toBe(20);
    expect(compilePath("a.2.b")(body)).toBeUndefined();
    expect(compilePath("a.01")(body)).toBeUndefined();
    expect(compilePath("a.-1")(body)).toBeUndefined();
  });

  it("reads numeric keys of plain objects", () => {
    expect(compilePath("a.0")({ a: { "0": "zero" } })).toBe("zero");
  });

  it("returns undefined through missing segments and scalars", () => {
    const get = compilePath("a.b.c");
    expect(get({})).toBeUndefined();
    expect(get({ a: null })).toBeUndefined();
    expect(get({ a: "text" })).toBeUndefined();
    expect(get({ a: { b: 5 } })).toBeUndefined();
    expect(get(undefined)).toBeUndefined();
    expect(get(null)).toBeUndefined();
    expect(compilePath("s.length")({ s: "abc" })).toBeUndefined();
  });

  it("keeps null and falsy values that are present", () => {
    expect(compilePath("a")({ a: null })).toBeNull();
    expect(compilePath("a")({ a: 0 })).toBe(0);
    expect(compilePath("a")({ a: false })).toBe(false);
    expect(compilePath("a")({ a: "" })).toBe("");
  });

  it("reads no array properties other than indexes", () => {
    expect(compilePath("a.length")({ a: [1, 2] })).toBeUndefined();
    expect(compilePath("a.map")({ a: [1, 2] })).toBeUndefined();
  });

  it("never reads inherited properties", () => {
    for (const path of ["__proto__", "constructor", "toString", "hasOwnProperty", "constructor.name", "__proto__.toString", "constructor.prototype"]) {
      expect(compilePath(path)({}), path).toBeUndefined();
      expect(compilePath(`a.${path}`)({ a: {} }), path).toBeUndefined();
      expect(compilePath(`a.0.${path}`)({ a: [{}] }), path).toBeUndefined();
    }
    class Thing {
      get secret() {
        return "inherited getter";
      }
    }
    expect(compilePath("secret")(new Thing())).toBeUndefined();
  });

  it("reads an own __proto__ key from JSON as plain data without touching Object.prototype", () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}') as unknown;
    expect(compilePath("__proto__.polluted")(body)).toBe(true);
    expect(compilePath("constructor.prototype.x")(body)).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(compilePath("polluted")({})).toBeUndefined();
  });

  it("allows hyphens and other characters in segments", () => {
    expect(compilePath("params.geo-city")({ params: { "geo-city": "Berlin" } })).toBe("Berlin");
    expect(compilePath("a.@type")({ a: { "@type": "t" } })).toBe("t");
  });

  it("marks and collects wildcard matches", () => {
    const get = compilePath("items.*.sku");
    expect(get.wildcard).toBe(true);
    expect(compilePath("a.b").wildcard).toBe(false);
    expect(get.path).toBe("items.*.sku");
    expect(get({ items: [{ sku: "a" }, { nosku: 1 }, { sku: "b" }, null, 5] })).toEqual(["a", "b"]);
    expect(get({ items: [] })).toEqual([]);
    expect(get({})).toEqual([]);
    expect(get({ items: "abc" })).toEqual([]);
  });

  it("walks wildcards over own object values and nested wildcards", () => {
    expect(compilePath("vars.*.value")({ vars: { a: { value: 1 }, b: { value: 2 } } })).toEqual([1, 2]);
    expect(compilePath("a.*.b.*")({ a: [{ b: [1, 2] }, { b: [3] }, { c: 1 }] })).toEqual([1, 2, 3]);
    expect(compilePath("*")([1, 2])).toEqual([1, 2]);
    // Inherited values are not walked.
    expect(compilePath("*")(Object.create({ inherited: 1 }) as object)).toEqual([]);
  });

  it("rejects empty paths and segments", () => {
    expect(() => compilePath("")).toThrow(/empty/);
    expect(() => compilePath("a..b")).toThrow(/empty segment/);
    expect(() => compilePath(".a")).toThrow(/empty segment/);
    expect(checkPath("a.b")).toBeUndefined();
    expect(checkPath("a.")).toMatch(/empty segment/);
  });
});
