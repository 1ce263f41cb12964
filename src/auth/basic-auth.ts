/**
 * @module HTTP Basic authentication: `Authorization: Basic base64(user:pass)`.
 * @see https://www.rfc-editor.org/rfc/rfc7617 (the scheme; UTF-8 charset, §2.1)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.1 (scheme names are case-insensitive)
 */
import type { BasicAuthConfig } from "../config/types.js";
import { matchesHash, secretEquals, sha256 } from "./constant-time.js";
import { headerValue } from "./header-value.js";
import type { AuthFailure, SyncAuthCheck } from "./types.js";

/** The challenge sent with every Basic auth failure (RFC 7617 §2, §2.1). */
export const BASIC_CHALLENGE = 'Basic realm="webhook-serve", charset="UTF-8"';

/** 401 with the challenge header; the same value for missing and wrong credentials. */
const BASIC_AUTH_FAILED: AuthFailure = Object.freeze({
  code: "WHS_ERR_AUTH_FAILED",
  headers: Object.freeze({ "www-authenticate": BASIC_CHALLENGE }),
});

// token68 in the standard base64 alphabet; Buffer.from(…, "base64") would otherwise skip junk silently.
const BASIC_HEADER = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * Missing, malformed or wrong credentials → 401 `WHS_ERR_AUTH_FAILED` with a
 * `www-authenticate` header to set. The decoded `user:pass` bytes are compared as a whole
 * against the configured pair, hashed, so a password may contain `:` (the user-id may not,
 * RFC 7617 §2) and neither length leaks.
 * @example
 * const check = compileBasicAuth({ username: "bot", password: "s3:cret" });
 * check({ headers: { authorization: "Basic Ym90OnMzOmNyZXQ=" }, rawBody, now }); // undefined
 */
export function compileBasicAuth(config: BasicAuthConfig): SyncAuthCheck {
  const pair = `${config.username}:${config.password}`;
  const expectedHash = sha256(pair);
  // What every client sends for this pair (`Basic ` + padded base64): checked first, without decoding.
  const isUsual = secretEquals(Buffer.from(`Basic ${Buffer.from(pair).toString("base64")}`));
  return (req) => {
    const value = headerValue(req.headers, "authorization");
    if (value === undefined) return BASIC_AUTH_FAILED;
    if (isUsual(value)) return undefined;
    // Any other spelling (scheme case, spaces, no padding): decoded and compared by hash.
    const token = BASIC_HEADER.exec(value)?.[1];
    if (token === undefined) return BASIC_AUTH_FAILED;
    return matchesHash(Buffer.from(token, "base64"), expectedHash) ? undefined : BASIC_AUTH_FAILED;
  };
}
