/**
 * @module `auth.bearer`: `Authorization: Bearer <JWT>` signed by a key from the issuer's
 * published key set (JWKS), with the issuer and audience checked (Bot Framework / Teams, Google
 * Chat). jose verifies the token; the key set is fetched on first use with a deadline, kept
 * (jose refreshes it after 10 min, or at most every 30 s when a token names an unknown key) and
 * shared by every webhook and reload naming the same URL.
 * @see https://www.rfc-editor.org/rfc/rfc6750 (bearer tokens; the challenge, §3)
 * @see https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md
 */
import type * as JoseModule from "jose";
import type { JWTVerifyGetKey } from "jose";
import type { BearerAuthConfig } from "../config/types.js";
import { BoundedCache } from "./bounded-cache.js";
import { AUTH_UNAVAILABLE } from "./failures.js";
import { headerValue } from "./header-value.js";
import type { AuthCheck, AuthFailure } from "./types.js";

/** Asymmetric algorithms only: a JWKS is public, so an HMAC (`HS256`) key in one would let anyone sign. */
export const BEARER_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

/** A JWKS fetch that takes longer fails the request with 503, so the sender retries. */
const JWKS_TIMEOUT_MS = 3000;

/** No token, or one that does not verify: 401 with the RFC 6750 challenge. */
const BEARER_MISSING: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_FAILED", headers: Object.freeze({ "www-authenticate": 'Bearer realm="webhook-serve"' }) });
const BEARER_INVALID: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_FAILED", headers: Object.freeze({ "www-authenticate": 'Bearer realm="webhook-serve", error="invalid_token"' }) });

// RFC 6750 §2.1 b64token; the scheme name is case-insensitive (RFC 9110 §11.1).
const BEARER_HEADER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface BearerOptions {
  /** How the key set is fetched (tests). A set made with options is not shared. @default Node's fetch */
  fetch?: typeof fetch;
  /** Deadline of a key set fetch, ms. @default 3000 */
  timeout?: number;
}

type Jose = typeof JoseModule;
let jose: Promise<Jose> | undefined;

/** jose on first use: importing it costs a cold start 70–100 ms, and most configs have no bearer. */
const loadJose = (): Promise<Jose> => (jose ??= import("jose"));

/** Key sets by URL, shared across webhooks and reloads; bounded, as a config may name any number. */
const keySets = new BoundedCache<Promise<JWTVerifyGetKey>>(32);

function keySetFor(url: string, options: BearerOptions): Promise<JWTVerifyGetKey> {
  const make = () =>
    loadJose().then(({ createRemoteJWKSet, customFetch }) =>
      createRemoteJWKSet(new URL(url), { timeoutDuration: options.timeout ?? JWKS_TIMEOUT_MS, ...(options.fetch !== undefined ? { [customFetch]: options.fetch } : {}) }),
    );
  if (options.fetch !== undefined || options.timeout !== undefined) return make();
  let set = keySets.get(url, 0);
  if (set === undefined) {
    set = make();
    keySets.set(url, set, Infinity);
  }
  return set;
}

/** Whether a failure is the key server's (no answer, not 200, not a key set) rather than the token's. */
function keysUnavailable({ errors }: Jose, error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true; // fetch's own errors: refused, reset, DNS
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === "ERR_JOSE_GENERIC";
}

/**
 * No `Authorization: Bearer` → 401 with `www-authenticate: Bearer realm="webhook-serve"`;
 * a token that is malformed, signed by no key of the set, with another issuer or audience, an
 * algorithm not allowed, expired or not yet valid (beyond `clockTolerance`) → 401 with
 * `error="invalid_token"`; the key set unreachable → 503 `WHS_ERR_AUTH_UNAVAILABLE`.
 * Always answers a promise once a token is present (the key set may need fetching). jose
 * itself is imported on the first token, not at start. Never rejects (a failed import of jose
 * would be a broken install: 503).
 * @example
 * compileBearer({ jwks: "https://login.botframework.com/v1/.well-known/keys", issuer: ["https://api.botframework.com"], audience: [appId], algorithms: ["RS256"], clockTolerance: 300_000 });
 */
export function compileBearer(config: BearerAuthConfig, options: BearerOptions = {}): AuthCheck {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const verifyOptions = {
    issuer: [...config.issuer],
    audience: [...config.audience],
    algorithms: [...config.algorithms],
    clockTolerance: Math.floor(config.clockTolerance / 1000),
  };
  return (req) => {
    const value = headerValue(req.headers, "authorization");
    const token = value === undefined ? undefined : BEARER_HEADER.exec(value)?.[1];
    if (token === undefined) return BEARER_MISSING;
    keys ??= keySetFor(config.jwks, options);
    return Promise.all([loadJose(), keys]).then(
      ([lib, keySet]) =>
        lib.jwtVerify(token, keySet, { ...verifyOptions, currentDate: new Date(req.now) }).then(
          () => undefined,
          (error: unknown) => (keysUnavailable(lib, error) ? AUTH_UNAVAILABLE : BEARER_INVALID),
        ),
      () => AUTH_UNAVAILABLE,
    );
  };
}
