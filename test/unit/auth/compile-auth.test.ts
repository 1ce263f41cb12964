import { describe, expect, it } from "vitest";
import { compileAuth } from "../../../src/auth/compile-auth.js";
import { getSignatureScheme, registerSignatureScheme, resolveSignatureScheme, schemeDedupeKey, signatureSchemeNames } from "../../../src/auth/signature-schemes.js";
import { signRequest } from "../../../src/auth/sign-request.js";
import type { AuthFailure } from "../../../src/auth/types.js";
import type { AuthConfig } from "../../../src/config/types.js";
import type { SignatureScheme } from "../../../src/platforms/types.js";
import { clustaar, hmacConfig, hutoma, NOW, plain, swConfig } from "./fake-adapters.js";

const rawBody = Buffer.from('{"intentName":"x","chatResult":{}}');
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describe("compileAuth", () => {
  it("is undefined when there is nothing to check", () => {
    expect(compileAuth(undefined, plain)).toBeUndefined();
    expect(compileAuth({}, hutoma)).toBeUndefined();
  });

  it("always checks the adapter's freshness rule, even without auth", () => {
    const check = compileAuth(undefined, clustaar);
    expect(check).toBeTypeOf("function");
    expect(check!({ headers: { date: new Date(NOW - 60_000).toUTCString() }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    expect(check!({ headers: { date: new Date(NOW).toUTCString() }, rawBody, now: NOW })).toBeUndefined();
  });

  it("uses the standard-webhooks scheme when configured, on any platform", () => {
    const signature = swConfig(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
    const check = compileAuth({ signature }, hutoma)!;
    const headers = signRequest(signature, hutoma, rawBody, {}, NOW, "msg_1");
    expect(check({ headers, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: signRequest(hmacConfig(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]), hutoma, rawBody, {}, NOW), rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
  });

  describe("all configured checks must pass, in the order freshness → signature → apiKey → basic", () => {
    const signature = hmacConfig(["sig-secret"]);
    const auth: AuthConfig = { signature, apiKey: { header: "api-key", value: "key" }, basic: { username: "u", password: "p:w" } };
    const check = compileAuth(auth, clustaar)!;
    const signed = { date: new Date(NOW).toUTCString() };
    const good = { ...signed, ...signRequest(signature, clustaar, rawBody, signed, NOW), "api-key": "key", authorization: basic("u", "p:w") };

    it("passes when every check passes", () => {
      expect(check({ headers: good, rawBody, now: NOW })).toBeUndefined();
    });

    it("fails when any one check fails", () => {
      expect(check({ headers: { ...good, "api-key": "nope" }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
      expect(check({ headers: { ...good, authorization: basic("u", "p") }, rawBody, now: NOW })).toHaveProperty(["headers", "www-authenticate"]);
      expect(check({ headers: good, rawBody: Buffer.from("{}"), now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
      expect(check({ headers: good, rawBody, now: NOW + 11_000 })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    });

    it("answers the earliest failing check", () => {
      const { "api-key": _key, authorization: _auth, ...noCredentials } = good;
      // stale beats a bad signature
      expect(check({ headers: { ...noCredentials, "x-hub-signature": "sha1=00" }, rawBody, now: NOW + 60_000 })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
      // a bad signature beats a missing api key
      expect(check({ headers: { ...noCredentials, "x-hub-signature": "sha1=00" }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
      // a missing api key (400) beats missing basic auth
      expect(check({ headers: noCredentials, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["api-key"] });
      // then basic auth, with its challenge
      expect(check({ headers: { ...noCredentials, "api-key": "key" }, rawBody, now: NOW })).toEqual({
        code: "WHS_ERR_AUTH_FAILED",
        headers: { "www-authenticate": 'Basic realm="webhook-serve", charset="UTF-8"' },
      });
    });
  });

  describe("a check that fetches first (it answers a promise)", () => {
    // Stand-ins for a certificate or JWKS check: the core awaits only what comes back as a promise.
    const slow = (failure: AuthFailure | undefined): SignatureScheme => ({
      name: "slow",
      compile: () => () => Promise.resolve(failure),
    });
    const auth: AuthConfig = { signature: hmacConfig([]), apiKey: { header: "api-key", value: "key" } };

    it("is awaited, and the checks after it run once it passes", async () => {
      const check = compileAuth({ ...auth, signature: { ...hmacConfig([]), scheme: "slow" } }, { signatureScheme: slow(undefined) })!;
      const passed = check({ headers: { "api-key": "key" }, rawBody, now: NOW });
      expect(passed).toBeInstanceOf(Promise);
      expect(await passed).toBeUndefined();
      expect(await check({ headers: { "api-key": "nope" }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
    });

    it("answers its failure without running the checks after it", async () => {
      const check = compileAuth({ ...auth, signature: { ...hmacConfig([]), scheme: "slow" } }, { signatureScheme: slow({ code: "WHS_ERR_AUTH_UNAVAILABLE" }) })!;
      expect(await check({ headers: {}, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    });

    it("is never reached when an earlier synchronous check fails: that failure comes back at once", () => {
      const check = compileAuth({ signature: { ...hmacConfig([]), scheme: "slow" } }, { ...clustaar, signatureScheme: slow(undefined) })!;
      expect(check({ headers: { date: new Date(NOW - 60_000).toUTCString() }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    });
  });

  it("a single check is returned as is", () => {
    const check = compileAuth({ apiKey: { header: "api-key", value: "k" } }, plain)!;
    expect(check({ headers: { "api-key": "k" }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: {}, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["api-key"] });
  });
});

describe("the signature scheme registry", () => {
  it("names the shipped schemes, and gives Standard Webhooks' dedupe key", () => {
    expect(signatureSchemeNames()).toEqual(expect.arrayContaining(["hmac", "standard-webhooks", "ed25519", "alexa"]));
    expect(schemeDedupeKey({ signature: { scheme: "standard-webhooks" } })).toBe("header:webhook-id");
    expect(schemeDedupeKey({ signature: { scheme: "hmac" } })).toBeUndefined();
    expect(schemeDedupeKey(undefined)).toBeUndefined();
  });

  it("takes a platform's scheme once, refuses a second scheme under a taken name", () => {
    const own: SignatureScheme = { name: "registry-test", compile: () => () => undefined };
    registerSignatureScheme(own);
    expect(() => registerSignatureScheme(own)).not.toThrow();
    expect(() => registerSignatureScheme({ ...own })).toThrow(/already taken/);
    expect(() => registerSignatureScheme({ name: "hmac", compile: () => () => undefined })).toThrow(/already taken/);
    expect(getSignatureScheme("registry-test")).toBe(own);
  });

  it("prefers the platform's own scheme of that name, and refuses an unknown name", () => {
    const own: SignatureScheme = { name: "hmac", compile: () => () => ({ code: "WHS_ERR_AUTH_FAILED" }) };
    expect(resolveSignatureScheme("hmac", { signatureScheme: own })).toBe(own);
    expect(resolveSignatureScheme("ed25519", { signatureScheme: own }).name).toBe("ed25519");
    expect(() => resolveSignatureScheme("nope", {})).toThrow(/unknown signature scheme "nope"/);
  });

  it("explicit scheme: hmac on a platform with a scheme of its own is a real HMAC check", () => {
    const own: SignatureScheme = { name: "own-scheme", compile: () => () => undefined };
    const check = compileAuth({ signature: hmacConfig(["s"]) }, { signatureScheme: own })!;
    expect(check({ headers: {}, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
  });
});
