/**
 * @module Standard Webhooks v1 signatures (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`), on any platform.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import type { SignatureConfig } from "../config/types.js";
import { digestsEqual } from "./constant-time.js";
import { AUTH_FAILED } from "./failures.js";
import { headerValue } from "./header-value.js";
import { compileTimestampWindow } from "./timestamp-window.js";
import type { SignatureScheme, SyncAuthCheck } from "./types.js";

/** Skew allowed between the sender's clock and ours, both ways (the reference libraries' 5 min). */
/** Every delivery carries an id, kept across retries: the dedupe key of a webhook signed this way. */
const STANDARD_WEBHOOKS_DEDUPE_KEY = "header:webhook-id";


export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;

const SECRET_PREFIX = "whsec_";
/** Length of base64(SHA-256 digest) with padding. */
const SIGNATURE_CHARS = 44;

/**
 * The HMAC key: the base64-decoded bytes after `whsec_` (a secret without the prefix is
 * decoded the same way, like the reference libraries). Padding is added first, since the
 * secrets shown to users sometimes drop it.
 * @throws TypeError when the secret decodes to no bytes (the message never holds the secret).
 */
export function standardWebhooksKey(secret: string): Buffer {
  let text = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  text += "=".repeat((4 - (text.length % 4)) % 4);
  const key = /^[A-Za-z0-9+/]*={0,3}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (key.length === 0) throw new TypeError("A standard-webhooks secret must be whsec_ followed by base64");
  return key;
}

/** base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, fed in pieces so the body is not copied. */
function sign(key: KeyObject | Buffer, id: string, timestamp: string, rawBody: Buffer): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest("base64");
}

/**
 * Any header missing, a timestamp that is not integer seconds or is more than
 * `config.tolerance` ms away from `now` (too old AND too new, as the reference libraries),
 * or no `v1,` entry matching any secret → 401 `WHS_ERR_AUTH_FAILED`. Entries of other
 * versions (`v1a,` ed25519) are skipped. Any secret and any entry may match (rotation).
 * @example
 * const check = compileStandardWebhooks({ scheme: "standard-webhooks", secrets: ["whsec_…"], tolerance: 300000 });
 */
export function compileStandardWebhooks(config: SignatureConfig): SyncAuthCheck {
  const keys: readonly KeyObject[] = config.secrets.map((s) => createSecretKey(standardWebhooksKey(s)));
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE_MS;
  const inWindow = compileTimestampWindow(
    { header: "webhook-timestamp", format: "epoch-seconds", maxAge: tolerance, maxAhead: tolerance },
    { missing: AUTH_FAILED, outside: AUTH_FAILED },
  );
  return (req) => {
    const id = headerValue(req.headers, "webhook-id");
    const signatures = headerValue(req.headers, "webhook-signature");
    if (!id || !signatures) return AUTH_FAILED;
    const stale = inWindow(req);
    if (stale !== undefined) return stale;
    const timestamp = headerValue(req.headers, "webhook-timestamp") as string;

    const candidates: Buffer[] = [];
    for (const entry of signatures.split(" ")) {
      if (entry.startsWith("v1,") && entry.length === 3 + SIGNATURE_CHARS) candidates.push(Buffer.from(entry.slice(3), "latin1"));
    }
    if (candidates.length === 0) return AUTH_FAILED;
    for (const key of keys) {
      const expected = Buffer.from(sign(key, id, timestamp, req.rawBody), "latin1");
      for (const candidate of candidates) if (digestsEqual(candidate, expected)) return undefined;
    }
    return AUTH_FAILED;
  };
}

/**
 * The three headers a Standard Webhooks sender adds: `webhook-id` (`msg_` + random unless
 * given), `webhook-timestamp` (`now` in seconds) and `webhook-signature` (`v1,…`).
 */
export function standardWebhooksHeaders(secret: string, rawBody: Buffer, now: number, id?: string): Record<string, string> {
  const messageId = id ?? `msg_${randomBytes(18).toString("base64url")}`;
  const timestamp = String(Math.floor(now / 1000));
  return {
    "webhook-id": messageId,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${sign(standardWebhooksKey(secret), messageId, timestamp, rawBody)}`,
  };
}

/** `scheme: standard-webhooks`, on any platform; its `webhook-id` is the dedupe key. */
export const standardWebhooksScheme: SignatureScheme = {
  name: "standard-webhooks",
  keys: ["secret", "secrets", "tolerance"],
  needs: ["secret", "secrets"],
  checkValue(key, value) {
    if (key === "secret" || key === "secrets") standardWebhooksKey(value);
  },
  dedupeKey: STANDARD_WEBHOOKS_DEDUPE_KEY,
  compile: compileStandardWebhooks,
  sign(config, request, { id }) {
    const secret = config.secrets[0];
    if (secret === undefined) throw new Error("auth.signature has no secret to sign with");
    return standardWebhooksHeaders(secret, request.rawBody, request.now, id);
  },
};
