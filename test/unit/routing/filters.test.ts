import { describe, expect, it } from "vitest";
import type { Filter } from "../../../src/config/types.js";
import { compileFilter, compileFilters, deepEqual } from "../../../src/routing/filters.js";

const holds = (filter: Filter, body: unknown) => compileFilter(filter)(body);

describe("equals", () => {
  it("compares scalars strictly", () => {
    expect(holds({ key: "a", equals: "x" }, { a: "x" })).toBe(true);
    expect(holds({ key: "a", equals: "x" }, { a: "y" })).toBe(false);
    expect(holds({ key: "a", equals: 42 }, { a: 42 })).toBe(true);
    expect(holds({ key: "a", equals: 42 }, { a: "42" })).toBe(false);
    expect(holds({ key: "a", equals: true }, { a: true })).toBe(true);
    expect(holds({ key: "a", equals: true }, { a: "true" })).toBe(false);
    expect(holds({ key: "a", equals: null }, { a: null })).toBe(true);
    expect(holds({ key: "a", equals: null }, {})).toBe(false);
  });

  it("compares objects and arrays deeply", () => {
    expect(holds({ key: "a", equals: { x: 1, y: [1, 2] } }, { a: { y: [1, 2], x: 1 } })).toBe(true);
    expect(holds({ key: "a", equals: { x: 1 } }, { a: { x: 1, y: 2 } })).toBe(false);
    expect(holds({ key: "a", equals: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(holds({ key: "a", equals: [] }, { a: {} })).toBe(false);
    expect(holds({ key: "a", equals: { x: 1 } }, { a: "[object Object]" })).toBe(false);
  });

  it("reads array indexes in the key", () => {
    expect(holds({ key: "a.1.b", equals: 2 }, { a: [{ b: 1 }, { b: 2 }] })).toBe(true);
  });
});

describe("deepEqual", () => {
  it("handles nesting and key sets", () => {
    expect(deepEqual({ a: [{ b: null }] }, { a: [{ b: null }] })).toBe(true);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});

describe("in", () => {
  it("holds when the value equals one of the list", () => {
    const f = compileFilter({ key: "plan", in: ["pro", "team", 3] });
    expect(f({ plan: "pro" })).toBe(true);
    expect(f({ plan: "team" })).toBe(true);
    expect(f({ plan: 3 })).toBe(true);
    expect(f({ plan: "3" })).toBe(false);
    expect(f({ plan: "free" })).toBe(false);
    expect(f({})).toBe(false);
  });

  it("compares composite list items deeply", () => {
    const f = compileFilter({ key: "v", in: ["a", { x: 1 }, [1, 2]] });
    expect(f({ v: { x: 1 } })).toBe(true);
    expect(f({ v: [1, 2] })).toBe(true);
    expect(f({ v: "a" })).toBe(true);
    expect(f({ v: { x: 2 } })).toBe(false);
  });

  it("never holds for an empty list", () => {
    expect(holds({ key: "a", in: [] }, { a: "x" })).toBe(false);
  });
});

describe("exists", () => {
  it("true: key present (null counts), false: absent", () => {
    expect(holds({ key: "a.b", exists: true }, { a: { b: null } })).toBe(true);
    expect(holds({ key: "a.b", exists: true }, { a: { b: 0 } })).toBe(true);
    expect(holds({ key: "a.b", exists: true }, { a: {} })).toBe(false);
    expect(holds({ key: "a.b", exists: false }, { a: {} })).toBe(true);
    expect(holds({ key: "a.b", exists: false }, { a: { b: "" } })).toBe(false);
    expect(holds({ key: "a.b", exists: false }, "not an object")).toBe(true);
  });

  it("does not see inherited properties", () => {
    expect(holds({ key: "constructor", exists: true }, {})).toBe(false);
    expect(holds({ key: "__proto__", exists: true }, {})).toBe(false);
    expect(holds({ key: "a.toString", exists: false }, { a: {} })).toBe(true);
  });
});

describe("matches", () => {
  it("tests strings and numbers as strings", () => {
    const f = compileFilter({ key: "t", matches: "^(hi|hello)" });
    expect(f({ t: "hello there" })).toBe(true);
    expect(f({ t: "oh hi" })).toBe(false);
    expect(compileFilter({ key: "n", matches: "^4\\d$" })({ n: 42 })).toBe(true);
  });

  it("never matches objects, booleans, null or missing values", () => {
    const f = compileFilter({ key: "t", matches: ".*" });
    expect(f({ t: { a: 1 } })).toBe(false);
    expect(f({ t: ["x"] })).toBe(false);
    expect(f({ t: true })).toBe(false);
    expect(f({ t: null })).toBe(false);
    expect(f({})).toBe(false);
  });

  it("supports a leading (?i) for case-insensitive patterns", () => {
    const f = compileFilter({ key: "t", matches: "(?i)^hello" });
    expect(f({ t: "HeLLo" })).toBe(true);
    expect(compileFilter({ key: "t", matches: "^hello" })({ t: "HELLO" })).toBe(false);
  });

  it("gives the same answer on repeated calls (no lastIndex state)", () => {
    const f = compileFilter({ key: "t", matches: "a" });
    expect([f({ t: "a" }), f({ t: "a" }), f({ t: "a" })]).toEqual([true, true, true]);
  });

  it("throws on an invalid regular expression", () => {
    expect(() => compileFilter({ key: "t", matches: "(" })).toThrow(/invalid regular expression/);
  });
});

describe("any and not", () => {
  it("any holds when at least one holds", () => {
    const f = compileFilter({
      any: [
        { key: "data.input.text", matches: "^(hi|hello)" },
        { key: "data.input.type", equals: "custom_event" },
      ],
    });
    expect(f({ data: { input: { text: "hi" } } })).toBe(true);
    expect(f({ data: { input: { type: "custom_event" } } })).toBe(true);
    expect(f({ data: { input: { text: "bye", type: "x" } } })).toBe(false);
    expect(compileFilter({ any: [] })({})).toBe(false);
  });

  it("not inverts", () => {
    const f = compileFilter({ not: { key: "blocked", equals: "yes" } });
    expect(f({ blocked: "yes" })).toBe(false);
    expect(f({ blocked: "no" })).toBe(true);
    expect(f({})).toBe(true);
  });

  it("nests as deep as needed", () => {
    const f = compileFilter({
      any: [{ not: { any: [{ key: "a", exists: true }, { key: "b", exists: true }] } }, { key: "c", equals: 1 }],
    });
    expect(f({})).toBe(true);
    expect(f({ a: 1 })).toBe(false);
    expect(f({ a: 1, c: 1 })).toBe(true);
    expect(compileFilter({ not: { not: { key: "a", equals: 1 } } })({ a: 1 })).toBe(true);
  });
});

describe("wildcard paths", () => {
  const body = { items: [{ sku: "A1", qty: 1 }, { sku: "B2", qty: 5 }, { qty: 0 }] };

  it("hold when some element satisfies the filter", () => {
    expect(holds({ key: "items.*.sku", equals: "B2" }, body)).toBe(true);
    expect(holds({ key: "items.*.sku", equals: "C3" }, body)).toBe(false);
    expect(holds({ key: "items.*.sku", in: ["X", "A1"] }, body)).toBe(true);
    expect(holds({ key: "items.*.sku", matches: "^B" }, body)).toBe(true);
    expect(holds({ key: "items.*.qty", matches: "^5$" }, body)).toBe(true);
  });

  it("exists: true when one exists, false when none exists", () => {
    expect(holds({ key: "items.*.sku", exists: true }, body)).toBe(true);
    expect(holds({ key: "items.*.sku", exists: false }, body)).toBe(false);
    expect(holds({ key: "items.*.price", exists: true }, body)).toBe(false);
    expect(holds({ key: "items.*.price", exists: false }, body)).toBe(true);
    expect(holds({ key: "items.*.sku", exists: false }, { items: [] })).toBe(true);
    expect(holds({ key: "items.*.sku", exists: false }, {})).toBe(true);
  });

  it("not over a wildcard means no element satisfies it", () => {
    expect(holds({ not: { key: "items.*.sku", equals: "B2" } }, body)).toBe(false);
    expect(holds({ not: { key: "items.*.sku", equals: "Z" } }, body)).toBe(true);
  });
});

describe("compileFilters", () => {
  it("requires every filter", () => {
    const f = compileFilters([
      { key: "a", equals: 1 },
      { key: "b", exists: true },
    ]);
    expect(f({ a: 1, b: 0 })).toBe(true);
    expect(f({ a: 1 })).toBe(false);
    expect(f({ b: 1 })).toBe(false);
  });

  it("holds without filters", () => {
    expect(compileFilters()({})).toBe(true);
    expect(compileFilters([])(null)).toBe(true);
  });

  it("works on the spec example", () => {
    const f = compileFilters([
      { key: "data.channel", in: ["facebook", "web"] },
      { any: [{ key: "data.input.text", matches: "^(hi|hello)" }, { key: "data.input.type", equals: "custom_event" }] },
      { not: { key: "data.interlocutor.customAttributes.blocked", equals: "yes" } },
    ]);
    expect(f({ data: { channel: "web", input: { text: "hello" } } })).toBe(true);
    expect(f({ data: { channel: "web", input: { text: "hello" }, interlocutor: { customAttributes: { blocked: "yes" } } } })).toBe(false);
    expect(f({ data: { channel: "sms", input: { text: "hello" } } })).toBe(false);
  });
});
