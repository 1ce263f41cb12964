/**
 * @module `scheme: ed25519`: an Ed25519 signature of `timestamp + raw body`, checked with the
 * sender's public key (hex, as Discord shows it for an application). Headers
 * `X-Signature-Ed25519` (hex) and `X-Signature-Timestamp` (epoch seconds). Any failure answers
 * 401, which Discord requires (it disables an endpoint that accepts a bad signature).
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 * @see https://www.rfc-editor.org/rfc/rfc8032 (Ed25519)
 */
import { createPrivateKey, createPublicKey, sign as signBytes, verify, type KeyObject } from "node:crypto";
import type { SignatureConfig } from "../config/types.js";
import { DEFAULT_TOLERANCE_MS } from "./standard-webhooks.js";
import { AUTH_FAILED } from "./failures.js";
import { headerValue } from "./header-value.js";
import { compileTimestampWindow, formatTimestamp } from "./timestamp-window.js";
import type { SignatureScheme, SignOptions, SyncAuthCheck } from "./types.js";

export const ED25519_SIGNATURE_HEADER = "x-signature-ed25519";
export const ED25519_TIMESTAMP_HEADER = "x-signature-timestamp";

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{128}$/;

/**
 * The public key from its 32 bytes in hex.
 * @throws Error when it is not 64 hex digits (the message never holds the value).
 */
export function ed25519PublicKey(hex: string): KeyObject {
  if (!HEX_KEY.test(hex)) throw new Error("an ed25519 publicKey must be 64 hex digits (the 32-byte key, as the platform shows it)");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") }, format: "jwk" });
}

/**
 * Headers missing, a timestamp not in epoch seconds or more than `config.tolerance` ms from
 * `now` (either way), a signature that is not 64 bytes in hex, or one that does not verify
 * → 401 `WHS_ERR_AUTH_FAILED`.
 * @example
 * const check = compileEd25519({ scheme: "ed25519", secrets: [], publicKey: "e0b1…", tolerance: 300000 });
 */
export function compileEd25519(config: SignatureConfig): SyncAuthCheck {
  if (config.publicKey === undefined) throw new Error("scheme ed25519 needs auth.signature.publicKey");
  const key = ed25519PublicKey(config.publicKey);
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE_MS;
  // The timestamp is signed, so a replay cannot move it: the window bounds how long one is good for.
  const inWindow = compileTimestampWindow({ header: ED25519_TIMESTAMP_HEADER, format: "epoch-seconds", maxAge: tolerance, maxAhead: tolerance }, { missing: AUTH_FAILED, outside: AUTH_FAILED });
  return (req) => {
    const signature = headerValue(req.headers, ED25519_SIGNATURE_HEADER);
    if (signature === undefined || !HEX_SIGNATURE.test(signature)) return AUTH_FAILED;
    const stale = inWindow(req);
    if (stale !== undefined) return stale;
    const timestamp = headerValue(req.headers, ED25519_TIMESTAMP_HEADER) as string;
    // One-shot (Ed25519 has no streaming form): the timestamp's bytes, then the body's.
    const message = Buffer.concat([Buffer.from(timestamp, "latin1"), req.rawBody]);
    return verify(null, message, key, Buffer.from(signature, "hex")) ? undefined : AUTH_FAILED;
  };
}

/** A private key as given for signing: a KeyObject, PEM, or the 32-byte seed in hex. */
function privateKeyOf(key: NonNullable<SignOptions["privateKey"]>): KeyObject {
  if (typeof key !== "string") return key;
  if (HEX_KEY.test(key)) {
    // PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410 §7): a fixed 16-byte prefix.
    return createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(key, "hex")]), format: "der", type: "pkcs8" });
  }
  return createPrivateKey(key);
}

/** The two headers a sender adds: the timestamp (`now` in seconds) and the hex signature of `timestamp + body`. */
export function ed25519Headers(privateKey: NonNullable<SignOptions["privateKey"]>, rawBody: Buffer, now: number): Record<string, string> {
  const timestamp = formatTimestamp(now, "epoch-seconds");
  const signature = signBytes(null, Buffer.concat([Buffer.from(timestamp, "latin1"), rawBody]), privateKeyOf(privateKey)).toString("hex");
  return { [ED25519_SIGNATURE_HEADER]: signature, [ED25519_TIMESTAMP_HEADER]: timestamp };
}

export const ed25519Scheme: SignatureScheme = {
  name: "ed25519",
  keys: ["publicKey", "tolerance"],
  needs: ["publicKey"],
  checkValue(key, value) {
    if (key === "publicKey") ed25519PublicKey(value);
  },
  compile: compileEd25519,
  signsWithPrivateKey: true,
  sign(_config, request, { privateKey }) {
    // Only the platform holds the private key; tests and local tools pass one of their own.
    if (privateKey === undefined) throw new Error("auth.signature scheme ed25519 is signed with the platform's private key, which webhook-serve does not hold (tests pass a key of their own as privateKey)");
    return ed25519Headers(privateKey, request.rawBody, request.now);
  },
};
