import { describe, expect, it } from "vitest";
import { parseDuration, parseSize } from "../../../src/config/units.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["4s", 4000],
    ["1.5s", 1500],
    ["10m", 600_000],
    ["1h", 3_600_000],
    ["2 s", 2000],
    [250, 250],
    [0, 0],
  ] as const)("%s → %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["4x", "s", "", "-1s", "1d", "4S", "ten seconds"])("rejects %j", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it("rejects negative and non-finite numbers", () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(parseDuration(Infinity)).toBeUndefined();
  });
});

describe("parseSize", () => {
  it.each([
    ["512b", 512],
    ["16kb", 16_384],
    ["1mb", 1_048_576],
    ["1MB", 1_048_576],
    ["1.5kb", 1536],
    ["1gb", 1024 ** 3],
    [2048, 2048],
  ] as const)("%s → %d bytes", (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each(["1m", "mb", "", "-1kb", "1tb", "big"])("rejects %j", (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});
