/**
 * @module Compose a webhook's configured checks into one function, once per config load.
 *
 * Fixed order: freshness → signature → apiKey → basic → bearer. It follows Clustaar's reference
 * server (replay check → signature → basic auth), with the API key beside Basic auth, and the
 * bearer token last (its key set may have to be fetched). Every configured check must pass;
 * the first failure is the answer, so a request that fails several checks gets the error of
 * the earliest one.
 */
import type { AuthConfig, SignatureConfig } from "../config/types.js";
import type { PlatformAdapter } from "../platforms/types.js";
import { compileApiKey } from "./api-key.js";
import { compileBasicAuth } from "./basic-auth.js";
import { compileBearer } from "./bearer-jwt.js";
import { compileFreshness } from "./freshness.js";
import { resolveSignatureScheme } from "./signature-schemes.js";
import type { AuthCheck, AuthRequest, AuthResult } from "./types.js";

/**
 * The check for `auth.signature`: the scheme it names (the normalized config always names one:
 * the platform's own scheme by default, else `hmac`), with the platform's defaults.
 */
function compileSignature(signature: SignatureConfig, adapter: Pick<PlatformAdapter, "signature" | "signatureScheme" | "freshness">): AuthCheck {
  return resolveSignatureScheme(signature.scheme, adapter).compile(signature, adapter);
}

/**
 * One check for a webhook, or `undefined` when there is nothing to check (the hot path then
 * skips auth entirely). The adapter's freshness rule applies whenever the adapter has one,
 * with or without `auth`.
 * @example
 * const check = compileAuth(webhook.auth, adapter);
 * const failure = check?.({ headers: req.headers, rawBody, now: Date.now() });
 * if (failure) reply.code(errorCodes[failure.code].status).headers(failure.headers ?? {}).send(errorBody(failure.code, failure.args));
 */
export function compileAuth(auth: AuthConfig | undefined, adapter: Pick<PlatformAdapter, "signature" | "signatureScheme" | "freshness">): AuthCheck | undefined {
  const checks: AuthCheck[] = [];
  if (adapter.freshness) checks.push(compileFreshness(adapter.freshness));
  if (auth?.signature) checks.push(compileSignature(auth.signature, adapter));
  if (auth?.apiKey) checks.push(compileApiKey(auth.apiKey));
  if (auth?.basic) checks.push(compileBasicAuth(auth.basic));
  // Last: it may fetch the key set, so the checks that answer at once go first.
  if (auth?.bearer) checks.push(compileBearer(auth.bearer));

  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (req) => runFrom(checks, 0, req);
}

/**
 * The checks from `start` on, in order. A check that answers a promise (it fetches first) is
 * awaited before the next one runs; until one does, nothing is allocated.
 */
function runFrom(checks: readonly AuthCheck[], start: number, req: AuthRequest): AuthResult {
  for (let i = start; i < checks.length; i++) {
    const result = checks[i]!(req);
    if (result === undefined) continue;
    if (result instanceof Promise) return result.then((failure) => failure ?? runFrom(checks, i + 1, req));
    return result;
  }
  return undefined;
}
