import { describe, expect, it } from "vitest";
import { compileFreshness } from "../../../src/auth/freshness.js";
import { errorCodes } from "../../../src/errors.js";
import { NOW } from "./fake-adapters.js";

const rawBody = Buffer.from("{}");
const check = compileFreshness({ header: "date", maxAge: 10_000 });
const at = (ms: number) => new Date(ms).toUTCString();

describe("compileFreshness (Clustaar: Date ≤ 10 s)", () => {
  it("passes a fresh date, one exactly at the limit, and one in the future", () => {
    expect(check({ headers: { date: at(NOW) }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: at(NOW - 10_000) }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: at(NOW + 60_000) }, rawBody, now: NOW })).toBeUndefined();
  });

  it("answers 400 WHS_ERR_REQUEST_STALE for a date older than the limit", () => {
    const failure = check({ headers: { date: at(NOW - 11_000) }, rawBody, now: NOW });
    expect(failure).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    expect(errorCodes[failure!.code].status).toBe(400);
    expect(check({ headers: { date: at(NOW) }, rawBody, now: NOW + 10_001 })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
  });

  it("passes a missing, empty or unreadable date (only a readable, too old date is refused)", () => {
    expect(check({ headers: {}, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: "" }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { date: "not a date" }, rawBody, now: NOW })).toBeUndefined();
  });

  it("reads the rule's header", () => {
    const custom = compileFreshness({ header: "x-sent-at", maxAge: 1000 });
    expect(custom({ headers: { date: at(0), "x-sent-at": at(NOW) }, rawBody, now: NOW })).toBeUndefined();
    expect(custom({ headers: { date: at(NOW), "x-sent-at": at(0) }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
  });
});
