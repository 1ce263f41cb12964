import { describe, expect, it } from "vitest";
import { compileTimestampWindow, formatTimestamp, parseTimestamp } from "../../../src/auth/timestamp-window.js";
import type { AuthFailure } from "../../../src/auth/types.js";
import { NOW } from "./fake-adapters.js";

const rawBody = Buffer.from("{}");
const MISSING: AuthFailure = { code: "WHS_ERR_AUTH_FAILED" };
const OUTSIDE: AuthFailure = { code: "WHS_ERR_REQUEST_STALE" };

describe("parseTimestamp", () => {
  it.each([
    ["1704110400", "epoch-seconds", NOW],
    [1704110400, "epoch-seconds", NOW],
    ["1704110400000", "epoch-ms", NOW],
    ["2024-01-01T12:00:00Z", "iso-8601", NOW],
    ["2024-01-01T12:00:00.250Z", "iso-8601", NOW + 250],
    ["2024-01-01T13:00:00+01:00", "iso-8601", NOW],
    ["Mon, 01 Jan 2024 12:00:00 GMT", "http-date", NOW],
    ["Monday, 01-Jan-24 12:00:00 GMT", "http-date", NOW],
  ] as const)("reads %j as %s", (value, format, expected) => {
    expect(parseTimestamp(value, format)).toBe(expected);
  });

  it.each([
    ["1e9", "epoch-seconds"],
    [" 1704110400", "epoch-seconds"],
    ["0x10", "epoch-ms"],
    [-5, "epoch-seconds"],
    [1.5, "epoch-seconds"],
    ["2024-01-01T12:00:00", "iso-8601"], // no zone: it would be read in ours
    ["2024-01-01", "iso-8601"],
    ["Mon, 01 Jan 2024 12:00:00 GMT", "iso-8601"],
    ["", "http-date"],
    ["soon", "http-date"],
    [{}, "epoch-seconds"],
  ] as const)("refuses %j as %s", (value, format) => {
    expect(parseTimestamp(value, format)).toBeNaN();
  });

  it("writes what it reads", () => {
    for (const format of ["epoch-seconds", "epoch-ms", "iso-8601", "http-date"] as const) expect(parseTimestamp(formatTimestamp(NOW, format), format)).toBe(NOW);
  });
});

describe("compileTimestampWindow", () => {
  it("reads a header: inside the window passes, older than maxAge or further ahead than maxAhead fails (bounds inclusive)", () => {
    const check = compileTimestampWindow({ header: "X-Slack-Request-Timestamp", format: "epoch-seconds", maxAge: 300_000, maxAhead: 60_000 }, { missing: MISSING, outside: OUTSIDE });
    const at = (seconds: number) => ({ headers: { "x-slack-request-timestamp": String(seconds) }, rawBody, now: NOW });
    const s = NOW / 1000;
    expect(check(at(s))).toBeUndefined();
    expect(check(at(s - 300))).toBeUndefined();
    expect(check(at(s - 301))).toEqual(OUTSIDE);
    expect(check(at(s + 60))).toBeUndefined();
    expect(check(at(s + 61))).toEqual(OUTSIDE);
    expect(check({ headers: {}, rawBody, now: NOW })).toEqual(MISSING);
    expect(check({ headers: { "x-slack-request-timestamp": "" }, rawBody, now: NOW })).toEqual(MISSING);
    expect(check({ headers: { "x-slack-request-timestamp": "later" }, rawBody, now: NOW })).toEqual(MISSING);
  });

  it("reads a dotted path into the decoded body", () => {
    const check = compileTimestampWindow({ body: "request.timestamp", format: "iso-8601", maxAge: 150_000, maxAhead: 150_000 }, { missing: MISSING, outside: OUTSIDE });
    const body = (timestamp: unknown) => ({ headers: {}, rawBody, body: { request: { timestamp } }, now: NOW });
    expect(check(body(new Date(NOW - 150_000).toISOString()))).toBeUndefined();
    expect(check(body(new Date(NOW - 150_001).toISOString()))).toEqual(OUTSIDE);
    expect(check(body(new Date(NOW + 150_001).toISOString()))).toEqual(OUTSIDE);
    expect(check(body(undefined))).toEqual(MISSING);
    expect(check({ headers: {}, rawBody, body: "not an object", now: NOW })).toEqual(MISSING);
    expect(check({ headers: {}, rawBody, now: NOW })).toEqual(MISSING);
  });

  it("lets a missing timestamp pass when told to, and any future one without maxAhead", () => {
    const check = compileTimestampWindow({ header: "date", format: "http-date", maxAge: 10_000 }, { missing: undefined, outside: OUTSIDE });
    expect(check({ headers: {}, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: new Date(NOW + 86_400_000).toUTCString() }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: new Date(NOW - 11_000).toUTCString() }, rawBody, now: NOW })).toEqual(OUTSIDE);
  });
});
