/**
 * @module When a request says it was sent, and whether that is close enough to now: one
 * helper for every sender that dates its requests, wherever it puts the date (a header, or a
 * field of the body) and however it writes it.
 * - Standard Webhooks: `webhook-timestamp`, epoch seconds, 5 min either way.
 * - Clustaar: `Date`, an HTTP date, at most 10 s old.
 * - Ed25519 senders: `x-signature-timestamp`, epoch seconds.
 * - Alexa: the body's `request.timestamp`, ISO 8601, 150 s.
 * - Slack: `X-Slack-Request-Timestamp`, epoch seconds, 5 min.
 */
import { compilePath } from "../routing/json-path.js";
import { headerValue } from "./header-value.js";
import type { AuthFailure, AuthRequest, SyncAuthCheck, TimestampFormat } from "./types.js";


/** Where the time is: one header, or a dotted path into the decoded body. */
export type TimestampSource = { readonly header: string; readonly body?: undefined } | { readonly body: string; readonly header?: undefined };

export type TimestampWindow = TimestampSource & {
  readonly format: TimestampFormat;
  /** Oldest accepted age, ms. */
  readonly maxAge: number;
  /** Furthest accepted into the future, ms (the sender's clock may be ahead). @default Infinity */
  readonly maxAhead?: number;
};

/** What a window check answers in each case; `undefined` passes. */
export interface WindowFailures {
  /** No timestamp where it should be, or one that is not in the format. */
  readonly missing: AuthFailure | undefined;
  /** Outside the window. */
  readonly outside: AuthFailure;
}

// Integers only: "1e3", " 12", "0x10" are not timestamps. 15 digits keep Number exact.
const DIGITS = /^\d{1,15}$/;
// Date-time of RFC 3339 (the ISO 8601 profile senders use): a zone is required, so the time is not read in ours.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of `value` read as `format`; NaN when it is not one. Epoch formats take a string
 * of digits or a whole number (a JSON body's).
 * @example parseTimestamp("1700000000", "epoch-seconds") // 1700000000000
 */
export function parseTimestamp(value: unknown, format: TimestampFormat): number {
  switch (format) {
    case "epoch-seconds":
    case "epoch-ms": {
      const n = typeof value === "string" && DIGITS.test(value) ? Number(value) : typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : NaN;
      return format === "epoch-seconds" ? n * 1000 : n;
    }
    case "iso-8601":
      return typeof value === "string" && ISO_8601.test(value) ? Date.parse(value) : NaN;
    case "http-date":
      // Date.parse reads IMF-fixdate and the two obsolete forms RFC 9110 asks recipients to accept.
      return typeof value === "string" && value !== "" ? Date.parse(value) : NaN;
  }
}

/** `ms` written as `format`, as a sender would (for signing test requests). */
export function formatTimestamp(ms: number, format: TimestampFormat): string {
  switch (format) {
    case "epoch-seconds":
      return String(Math.floor(ms / 1000));
    case "epoch-ms":
      return String(Math.floor(ms));
    case "iso-8601":
      return new Date(ms).toISOString();
    case "http-date":
      return new Date(ms).toUTCString();
  }
}

/** Reads the raw timestamp value from the request; undefined when absent. */
export function compileTimestampReader(source: TimestampSource): (req: AuthRequest) => unknown {
  if (source.header !== undefined) {
    const name = source.header.toLowerCase();
    return (req) => {
      const value = headerValue(req.headers, name);
      return value === "" ? undefined : value;
    };
  }
  const get = compilePath(source.body);
  return (req) => get(req.body);
}

/**
 * The check for one window: `failures.missing` when there is no readable timestamp,
 * `failures.outside` when it is older than `maxAge` or further ahead than `maxAhead`.
 * @example
 * const fresh = compileTimestampWindow({ header: "webhook-timestamp", format: "epoch-seconds", maxAge: 300_000, maxAhead: 300_000 }, { missing: AUTH_FAILED, outside: AUTH_FAILED });
 */
export function compileTimestampWindow(window: TimestampWindow, failures: WindowFailures): SyncAuthCheck {
  const read = compileTimestampReader(window);
  const { format, maxAge } = window;
  const maxAhead = window.maxAhead ?? Infinity;
  const { missing, outside } = failures;
  return (req) => {
    const value = read(req);
    if (value === undefined) return missing;
    const sent = parseTimestamp(value, format);
    if (Number.isNaN(sent)) return missing;
    const age = req.now - sent;
    return age > maxAge || -age > maxAhead ? outside : undefined;
  };
}
