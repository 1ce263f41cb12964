/**
 * @module The shape every request check shares: a pure function of the request's headers,
 * its raw body bytes and the current time, answering a failure or `undefined` (passed).
 */
import type { ErrorCode } from "../errors.js";
import type { Headers } from "../types.js";

/** What a check reads. `rawBody` is the exact bytes received; `now` is epoch milliseconds. */
export interface AuthRequest {
  headers: Headers;
  rawBody: Buffer;
  now: number;
  /** The URL path and query as received (schemes that sign the URL). */
  url?: string;
  /** The decoded body (schemes that sign form fields). */
  body?: unknown;
}

/** Why a request is refused. Never names the check or the secret that failed. */
export interface AuthFailure {
  readonly code: ErrorCode;
  /** Arguments for the code's message (`WHS_ERR_AUTH_MISSING` → the header name). */
  readonly args?: readonly string[];
  /** Response headers to set (`www-authenticate` for Basic auth). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A compiled check: `undefined` when the request passes. */
export type AuthCheck = (req: AuthRequest) => AuthFailure | undefined;
