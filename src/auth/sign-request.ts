/**
 * @module Sign a request the way the platform would, so it passes `compileAuth`: used by the
 * `send` command and the users' testing helper.
 */
import type { SignatureConfig } from "../config/types.js";
import type { PlatformAdapter } from "../platforms/types.js";
import type { Headers } from "../types.js";
import { headerValue } from "./header-value.js";
import { hmacHeaderValue, resolveHmacParams } from "./hmac-signature.js";
import { standardWebhooksHeaders } from "./standard-webhooks.js";

/**
 * The headers to add to `headers` so the request passes `auth.signature`, signed with the
 * first secret. For an adapter with a freshness rule (Clustaar) whose date header is absent,
 * the result also holds `date: new Date(now).toUTCString()`, and the signature covers it
 * (Clustaar signs `date=<Date>\n<body>`). Standard Webhooks: `webhook-id` (`id`, else
 * `msg_` + random), `webhook-timestamp` (`now` in seconds), `webhook-signature`.
 * Header names are lower-case.
 * @throws Error when `signature.secrets` is empty.
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
  /** The URL path and query, and the decoded body, for a platform scheme that signs them. */
  request: { url?: string; body?: unknown } = {},
): Record<string, string> {
  const secret = signature.secrets[0];
  if (secret === undefined) throw new Error("auth.signature has no secret to sign with");
  if (signature.scheme === "standard-webhooks") return standardWebhooksHeaders(secret, rawBody, now, id);
  if (adapter.signatureScheme !== undefined) return adapter.signatureScheme.sign(signature, { headers, rawBody, now, ...request });

  const added: Record<string, string> = {};
  const freshness = adapter.freshness;
  if (freshness && !headerValue(headers, freshness.header)) added[freshness.header] = new Date(now).toUTCString();
  const params = resolveHmacParams(signature, adapter);
  const content = params.signedContent ? params.signedContent(rawBody, { ...headers, ...added }) : rawBody;
  added[params.header] = hmacHeaderValue(params, secret, content);
  return added;
}
