/**
 * The ed25519 scheme, cross-checked with Discord's own library (discord-interactions'
 * verifyKey, WebCrypto): requests are signed here with node:crypto, independently of the
 * scheme, and the scheme's sign() output must pass verifyKey.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { verifyKey } from "discord-interactions";
import { describe, expect, it } from "vitest";
import { compileEd25519, ed25519Scheme } from "../../../src/auth/ed25519-signature.js";
import { signRequest } from "../../../src/auth/sign-request.js";
import type { SignatureConfig } from "../../../src/config/types.js";
import { NOW } from "./fake-adapters.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const PUBLIC_HEX = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url").toString("hex");
const other = generateKeyPairSync("ed25519");

const config = (overrides: Partial<SignatureConfig> = {}): SignatureConfig => ({ scheme: "ed25519", secrets: [], publicKey: PUBLIC_HEX, tolerance: 300_000, ...overrides });
const rawBody = Buffer.from('{"type":2,"data":{"name":"weather"}}');
const FAILED = { code: "WHS_ERR_AUTH_FAILED" };

/** As Discord sends it: hex Ed25519 signature of timestamp + body. */
function discordHeaders(body: Buffer, timestamp: string, key = privateKey): Record<string, string> {
  return { "x-signature-ed25519": sign(null, Buffer.concat([Buffer.from(timestamp), body]), key).toString("hex"), "x-signature-timestamp": timestamp };
}
const TS = String(NOW / 1000);

describe("the ed25519 scheme", () => {
  const check = compileEd25519(config());

  it("passes a request signed with the application's key", () => {
    expect(check({ headers: discordHeaders(rawBody, TS), rawBody, now: NOW })).toBeUndefined();
    // Upper-case hex is the same signature.
    const headers = discordHeaders(rawBody, TS);
    expect(check({ headers: { ...headers, "x-signature-ed25519": headers["x-signature-ed25519"]!.toUpperCase() }, rawBody, now: NOW })).toBeUndefined();
  });

  it("refuses another key, a changed body, a changed timestamp, malformed or missing headers", () => {
    expect(check({ headers: discordHeaders(rawBody, TS, other.privateKey), rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: discordHeaders(rawBody, TS), rawBody: Buffer.from('{"type":2,"data":{"name":"weathe"}}'), now: NOW })).toEqual(FAILED);
    const headers = discordHeaders(rawBody, TS);
    expect(check({ headers: { ...headers, "x-signature-timestamp": String(NOW / 1000 - 1) }, rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "x-signature-ed25519": headers["x-signature-ed25519"]!.slice(2) }, rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "x-signature-ed25519": "zz" + headers["x-signature-ed25519"]!.slice(2) }, rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: { "x-signature-timestamp": TS }, rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: { "x-signature-ed25519": headers["x-signature-ed25519"]! }, rawBody, now: NOW })).toEqual(FAILED);
  });

  it("refuses a timestamp outside the tolerance, either way", () => {
    const headers = discordHeaders(rawBody, TS);
    expect(check({ headers, rawBody, now: NOW + 300_000 })).toBeUndefined();
    expect(check({ headers, rawBody, now: NOW + 301_000 })).toEqual(FAILED);
    expect(check({ headers, rawBody, now: NOW - 301_000 })).toEqual(FAILED);
    expect(compileEd25519(config({ tolerance: 10_000 }))({ headers, rawBody, now: NOW + 11_000 })).toEqual(FAILED);
  });

  it("signs what discord-interactions' verifyKey accepts, with a KeyObject, PEM or the hex seed", async () => {
    const seed = Buffer.from(privateKey.export({ format: "jwk" }).d as string, "base64url").toString("hex");
    for (const key of [privateKey, privateKey.export({ format: "pem", type: "pkcs8" }).toString(), seed]) {
      const headers = signRequest(config(), {}, rawBody, {}, NOW, undefined, { privateKey: key });
      expect(headers["x-signature-timestamp"]).toBe(TS);
      expect(await verifyKey(rawBody, headers["x-signature-ed25519"]!, headers["x-signature-timestamp"]!, PUBLIC_HEX)).toBe(true);
      expect(check({ headers, rawBody, now: NOW })).toBeUndefined();
    }
    expect(await verifyKey(rawBody, discordHeaders(rawBody, TS, other.privateKey)["x-signature-ed25519"]!, TS, PUBLIC_HEX)).toBe(false);
  });

  it("cannot sign without a private key, and says why", () => {
    expect(() => signRequest(config(), {}, rawBody, {}, NOW)).toThrow(/private key/);
  });

  it("refuses a public key that is not 64 hex digits, without echoing it", () => {
    expect(() => ed25519Scheme.checkValue?.("publicKey", "abc123")).toThrow(/64 hex digits/);
    expect(() => ed25519Scheme.checkValue?.("publicKey", "abc123")).not.toThrow(/abc123/);
    expect(() => compileEd25519(config({ publicKey: "g".repeat(64) }))).toThrow();
  });
});
