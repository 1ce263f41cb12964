/**
 * @module The platform's own replay guard: refuse a request whose date header is older than
 * the platform allows (Clustaar: `Date` ≤ 10 s, clustaar.webhook
 * replay_prevention_middleware.py).
 *
 * A missing or unreadable date passes. The Python reference crashes on both (dateutil parses
 * `None`/junk and raises: a 500), so there is no behaviour to copy; webhook-serve only refuses
 * a date it can read as too old, and answering "too old" for a date it cannot read would be
 * false. This is safe because the guard only means something together with the signature:
 * Clustaar signs `date=<Date>`, so a replayed request cannot change or drop its date without
 * failing the signature check. Dates in the future pass, as in the reference (unless the rule
 * sets `maxAhead`).
 */
import type { FreshnessRule } from "../platforms/types.js";
import { REQUEST_STALE } from "./failures.js";
import { compileTimestampWindow, type TimestampSource } from "./timestamp-window.js";
import type { SyncAuthCheck } from "./types.js";

/**
 * A timestamp (an HTTP date in a header unless the rule says otherwise) older than
 * `rule.maxAge` ms at `now`, or further ahead than `rule.maxAhead` → 400 `WHS_ERR_REQUEST_STALE`.
 * @example
 * compileFreshness({ header: "date", maxAge: 10_000 })({ headers: { date: "Mon, 01 Jan 2024 00:00:00 GMT" }, rawBody, now: Date.now() });
 */
export function compileFreshness(rule: FreshnessRule): SyncAuthCheck {
  const source: TimestampSource = rule.body !== undefined ? { body: rule.body } : { header: rule.header ?? "date" };
  const window = { ...source, format: rule.format ?? "http-date", maxAge: rule.maxAge, ...(rule.maxAhead !== undefined ? { maxAhead: rule.maxAhead } : {}) };
  return compileTimestampWindow(window, { missing: undefined, outside: REQUEST_STALE });
}
