/**
 * @module HMAC signature in a request header (`X-Hub-Signature: sha256=<hex>` and the like),
 * with the platform's defaults (Hu:toma, Clustaar) overridden by `auth.signature`.
 * Hu:toma: HMAC-SHA256 of the raw body, lower-case hex, `sha256=` (hutomadotAI/web-api WebHooks.java).
 * Clustaar: HMAC-SHA1 of `date=<Date>\n<body>`, hex, `sha1=` (Clustaar/clustaar.webhook
 * validate_signature_middleware.py).
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import type { SignatureConfig } from "../config/types.js";
import type { PlatformAdapter, SignatureDefaults } from "../platforms/types.js";
import type { Headers } from "../types.js";
import { digestsEqual } from "./constant-time.js";
import { AUTH_FAILED } from "./failures.js";
import { headerValue } from "./header-value.js";
import { formatTimestamp } from "./timestamp-window.js";
import type { SignatureScheme, SyncAuthCheck } from "./types.js";

/** The signature parameters in force for one webhook. */
export interface HmacParams {
  /** Lower-case header name. */
  header: string;
  algorithm: "sha1" | "sha256" | "sha512";
  encoding: "hex" | "base64";
  prefix: string;
  /** The signed bytes; the raw body when absent. */
  signedContent?: (rawBody: Buffer, headers: Headers) => Buffer;
}

/**
 * Used when neither the platform nor the config names a header: GitHub's scheme
 * (`X-Hub-Signature-256: sha256=<hex>` of the raw body), which many senders copy.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export const GITHUB_STYLE_DEFAULTS: SignatureDefaults = Object.freeze({
  header: "x-hub-signature-256",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
});

const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

/**
 * Platform defaults (adapter.signature, else GitHub-style) overridden field by field by the
 * config. When the base prefix is `<base algorithm>=` and only the algorithm is overridden,
 * the prefix follows it (`algorithm: sha512` → `sha512=`); an explicit `prefix` always wins
 * (`prefix: ""` for a bare digest).
 */
export function resolveHmacParams(config: SignatureConfig, adapter: Pick<PlatformAdapter, "signature">): HmacParams {
  const base = adapter.signature ?? GITHUB_STYLE_DEFAULTS;
  const algorithm = config.algorithm ?? base.algorithm;
  const prefix = config.prefix ?? (base.prefix === `${base.algorithm}=` ? `${algorithm}=` : base.prefix);
  const params: HmacParams = {
    header: (config.header ?? base.header).toLowerCase(),
    algorithm,
    encoding: config.encoding ?? base.encoding,
    prefix,
  };
  const signedContent = adapter.signature?.signedContent;
  // Bound to its adapter in case the adapter's implementation uses `this`.
  if (signedContent) params.signedContent = signedContent.bind(adapter.signature);
  return params;
}

/** The digest text as sent, decoded; undefined when it is not exactly one digest in `encoding`. */
function decodeDigest(text: string, encoding: "hex" | "base64", bytes: number): Buffer | undefined {
  if (encoding === "hex") {
    // Buffer.from(…, "hex") stops at the first bad character instead of failing: check first.
    return text.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(text) ? Buffer.from(text, "hex") : undefined;
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const decoded = Buffer.from(text, "base64");
  return decoded.length === bytes ? decoded : undefined;
}

/**
 * Missing header, wrong prefix, a value that is not one digest, or no secret matching
 * → 401 `WHS_ERR_AUTH_FAILED`. Every secret in `config.secrets` is tried (key rotation:
 * old and new both pass while the sender switches). The HMAC runs over the raw body
 * buffer (no copy) unless the platform signs other bytes (Clustaar). Hex is accepted in
 * either case; the digests are compared as bytes, in constant time.
 * @example
 * const check = compileHmacSignature({ scheme: "hmac", secrets: [secret], tolerance: 300000 }, hutoma);
 */
export function compileHmacSignature(config: SignatureConfig, adapter: Pick<PlatformAdapter, "signature">): SyncAuthCheck {
  const { header, algorithm, encoding, prefix, signedContent } = resolveHmacParams(config, adapter);
  const keys: readonly KeyObject[] = config.secrets.map((s) => createSecretKey(Buffer.from(s, "utf8")));
  const bytes = DIGEST_BYTES[algorithm];
  return (req) => {
    const value = headerValue(req.headers, header);
    if (value === undefined || !value.startsWith(prefix)) return AUTH_FAILED;
    const received = decodeDigest(value.slice(prefix.length), encoding, bytes);
    if (received === undefined) return AUTH_FAILED;
    const content = signedContent ? signedContent(req.rawBody, req.headers) : req.rawBody;
    for (const key of keys) {
      if (digestsEqual(createHmac(algorithm, key).update(content).digest(), received)) return undefined;
    }
    return AUTH_FAILED;
  };
}

/** `prefix + digest` of `content` with `secret`, as a sender would put it in the header. */
export function hmacHeaderValue(params: HmacParams, secret: string, content: Buffer): string {
  return params.prefix + createHmac(params.algorithm, Buffer.from(secret, "utf8")).update(content).digest(params.encoding);
}

/**
 * `scheme: hmac`, the default: an HMAC of the body (or of what the platform signs) in one
 * header, with the platform's defaults. Signing adds the platform's timestamp header first when
 * it has a freshness rule and the request has none (Clustaar signs `date=<Date>\n<body>`).
 */
export const hmacScheme: SignatureScheme = {
  name: "hmac",
  keys: ["secret", "secrets", "header", "algorithm", "encoding", "prefix"],
  needs: ["secret", "secrets"],
  compile: compileHmacSignature,
  sign(config, request, { platform = {} }) {
    const secret = config.secrets[0];
    if (secret === undefined) throw new Error("auth.signature has no secret to sign with");
    const added: Record<string, string> = {};
    const freshness = platform.freshness;
    if (freshness !== undefined && freshness.body === undefined) {
      const header = freshness.header ?? "date";
      if (!headerValue(request.headers, header)) added[header] = formatTimestamp(request.now, freshness.format ?? "http-date");
    }
    const params = resolveHmacParams(config, platform);
    const content = params.signedContent ? params.signedContent(request.rawBody, { ...request.headers, ...added }) : request.rawBody;
    added[params.header] = hmacHeaderValue(params, secret, content);
    return added;
  },
};
