import { describe, expect, it } from "vitest";
import { foldCase, linearRegExp } from "../../../src/routing/linear-regexp.js";
import { nestedDeeper } from "../../../src/platforms/body-decoders.js";

describe("linearRegExp", () => {
  it("runs patterns that backtrack exponentially elsewhere without stalling", () => {
    for (const pattern of ["^(a+)+$", "^(a|a)*$", "^(\\w|\\d)+$", "(x+x+)+y"]) {
      expect(linearRegExp(pattern).test(`${"a".repeat(5000)}!`)).toBe(false);
    }
  });

  it("keeps the fast engine for matching (no l flag): the linear one only takes over a runaway match", () => {
    expect(linearRegExp("^en-").flags).toBe("");
    expect(linearRegExp("^en-").test("en-GB")).toBe(true);
  });

  it("refuses backreferences and lookarounds, and reports syntax errors as such", () => {
    expect(() => linearRegExp("(a)\\1")).toThrow(/cannot be matched in linear time/);
    expect(() => linearRegExp("a(?=b)")).toThrow(/cannot be matched in linear time/);
    expect(() => linearRegExp("(")).toThrow(/invalid regular expression/);
  });

  it("folds case for (?i): letters, classes and ranges, leaving escapes and group names alone", () => {
    expect(foldCase("ab")).toBe("[aA][bB]");
    expect(foldCase("[a-c_]x")).toBe("[a-c_A-C][xX]");
    expect(foldCase("\\d\\W\\u00e9")).toBe("\\d\\W\\u00e9");
    expect(foldCase("(?<Name>é)")).toBe("(?<Name>[éÉ])");
    const re = linearRegExp("^hello [a-c]+\\s\\w$", true);
    expect(re.test("HeLLo AbC x")).toBe(true);
    expect(re.test("hello abd x")).toBe(false);
    expect(linearRegExp("[^a-z]", true).test("Q")).toBe(false);
  });
});

describe("nestedDeeper", () => {
  it("counts objects and arrays as levels and stops at the limit", () => {
    expect(nestedDeeper({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeper({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestedDeeper("text", 0)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestedDeeper(deep, 64)).toBe(true);
  });
});
