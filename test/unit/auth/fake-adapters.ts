/**
 * @module Small adapter stand-ins with the signature/freshness defaults the real adapters declare
 * (the real adapters are written elsewhere; auth only reads these two fields).
 */
import type { PlatformAdapter } from "../../../src/platforms/types.js";
import type { Headers } from "../../../src/types.js";
import type { SignatureConfig } from "../../../src/config/types.js";

export type AuthAdapter = Pick<PlatformAdapter, "signature" | "freshness">;

/** Hu:toma §2: `X-Hub-Signature: sha256=<hex>` over the raw body. */
export const hutoma: AuthAdapter = {
  signature: { header: "x-hub-signature", algorithm: "sha256", encoding: "hex", prefix: "sha256=" },
};

/** Clustaar §5: the signature part only (signs `date=<Date>\n<body>`, "None" without a Date). */
export const clustaarSignature: NonNullable<AuthAdapter["signature"]> = {
  header: "x-hub-signature",
  algorithm: "sha1",
  encoding: "hex",
  prefix: "sha1=",
  signedContent(rawBody: Buffer, headers: Headers): Buffer {
    const date = headers.date;
    return Buffer.concat([Buffer.from(`date=${typeof date === "string" ? date : "None"}\n`), rawBody]);
  },
};

/** Clustaar §5 as its adapter declares it: signature + Date ≤ 10 s. */
export const clustaar: AuthAdapter = { signature: clustaarSignature, freshness: { header: "date", maxAge: 10_000 } };

/** A platform with no signature defaults (Dialogflow, generic, …). */
export const plain: AuthAdapter = {};

export function hmacConfig(secrets: string[], overrides: Partial<SignatureConfig> = {}): SignatureConfig {
  return { scheme: "hmac", secrets, tolerance: 300_000, ...overrides };
}

export function swConfig(secrets: string[], tolerance = 300_000): SignatureConfig {
  return { scheme: "standard-webhooks", secrets, tolerance };
}

export const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
