/**
 * @module Sign a request the way the platform would, so it passes `compileAuth`: used by the
 * `send` command, the inspector's replay and the users' testing helper.
 */
import type { SignatureConfig } from "../config/types.js";
import type { PlatformAdapter } from "../platforms/types.js";
import type { Headers } from "../types.js";
import { resolveSignatureScheme } from "./signature-schemes.js";
import type { SignOptions } from "./types.js";

/**
 * The headers to add to `headers` so the request passes `auth.signature`, made by its scheme
 * with the first secret. hmac: for an adapter with a freshness rule (Clustaar) whose date
 * header is absent, the result also holds `date: new Date(now).toUTCString()`, and the
 * signature covers it (Clustaar signs `date=<Date>\n<body>`). Standard Webhooks: `webhook-id`
 * (`id`, else `msg_` + random), `webhook-timestamp` (`now` in seconds), `webhook-signature`.
 * ed25519: `x-signature-ed25519` and `x-signature-timestamp`, only with `request.privateKey`.
 * Header names are lower-case.
 * @throws Error when the scheme has nothing to sign with (no secret; a public-key scheme
 *   without `privateKey`; `alexa`, which only Amazon can sign).
 * @example
 * const extra = signRequest(webhook.auth.signature, adapter, body, { "content-type": "application/json" }, Date.now());
 * await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...extra }, body });
 */
export function signRequest(
  signature: SignatureConfig,
  adapter: Pick<PlatformAdapter, "signature" | "signatureScheme" | "freshness">,
  rawBody: Buffer,
  headers: Headers,
  now: number,
  id?: string,
  /** The URL signed (the webhook's publicUrl, else its path, with any query) and the decoded body, for schemes that sign them; a private key for ed25519. */
  request: { url?: string; body?: unknown; privateKey?: SignOptions["privateKey"] } = {},
): Record<string, string> {
  const scheme = resolveSignatureScheme(signature.scheme, adapter);
  if (scheme.sign === undefined) throw new Error(`auth.signature scheme ${scheme.name} cannot be signed by webhook-serve: only the platform holds its key`);
  const { privateKey, ...signed } = request;
  const options: SignOptions = { platform: adapter, ...(id !== undefined ? { id } : {}), ...(privateKey !== undefined ? { privateKey } : {}) };
  return scheme.sign(signature, { headers, rawBody, now, ...signed }, options);
}

/**
 * Whether webhook-serve can sign for this signature (false for `alexa`, and for `ed25519`
 * without a private key): the inspector's replay then resends the recorded signature headers.
 */
export function canSign(signature: SignatureConfig | undefined, adapter: Pick<PlatformAdapter, "signatureScheme">): boolean {
  if (signature === undefined) return true;
  const scheme = resolveSignatureScheme(signature.scheme, adapter);
  return scheme.sign !== undefined && scheme.signsWithPrivateKey !== true;
}
