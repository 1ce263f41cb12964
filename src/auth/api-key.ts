/**
 * @module API key check: a shared secret in a request header (`api-key` by default, the
 * header the `apiaiwebhook` reference server reads; sipgate AI Flow sends one too).
 */
import type { ApiKeyAuthConfig } from "../config/types.js";
import { matchesHash, sha256 } from "./constant-time.js";
import { AUTH_FAILED } from "./failures.js";
import { headerValue } from "./header-value.js";
import type { AuthFailure, SyncAuthCheck } from "./types.js";

/**
 * Header absent (or empty) → 400 `WHS_ERR_AUTH_MISSING` naming the header; wrong value → 401.
 * Both sides are hashed before the constant-time compare so the key's length does not leak.
 * @example
 * const check = compileApiKey({ header: "api-key", value: process.env.API_KEY! });
 * check({ headers: { "api-key": "…" }, rawBody, now: Date.now() }); // undefined when it matches
 */
export function compileApiKey(config: ApiKeyAuthConfig): SyncAuthCheck {
  const header = config.header.toLowerCase();
  const expectedHash = sha256(config.value);
  const missing: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_MISSING", args: Object.freeze([header]) });
  return (req) => {
    const value = headerValue(req.headers, header);
    if (value === undefined || value === "") return missing;
    return matchesHash(value, expectedHash) ? undefined : AUTH_FAILED;
  };
}
