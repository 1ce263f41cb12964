/**
 * @module Request authentication: pure checks over (headers, raw body, now), compiled once per
 * config load. No I/O, no logging; failures never name a secret or the check that failed.
 */
export { compileAuth, compileSignature } from "./compile-auth.js";
export type { AuthCheck, AuthFailure, AuthRequest } from "./types.js";
export { signRequest } from "./sign-request.js";
export { compileApiKey, DEFAULT_API_KEY_HEADER } from "./api-key.js";
export { compileBasicAuth, BASIC_CHALLENGE } from "./basic-auth.js";
export { compileHmacSignature, resolveHmacParams, GITHUB_STYLE_DEFAULTS, type HmacParams } from "./hmac-signature.js";
export { compileStandardWebhooks, standardWebhooksHeaders, standardWebhooksKey, DEFAULT_TOLERANCE_MS } from "./standard-webhooks.js";
export { compileFreshness } from "./freshness.js";
