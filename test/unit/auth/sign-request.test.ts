import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compileAuth } from "../../../src/auth/compile-auth.js";
import { signRequest } from "../../../src/auth/sign-request.js";
import { clustaar, hmacConfig, hutoma, NOW, plain, swConfig } from "./fake-adapters.js";

const rawBody = Buffer.from('{"topic":"conversation.step_reached"}');

describe("signRequest", () => {
  it("clustaar without a Date: adds date = now (HTTP date) and signs date=<it>\\n<body>", () => {
    const signature = hmacConfig(["test"]);
    const added = signRequest(signature, clustaar, rawBody, { "content-type": "application/json" }, NOW);
    const date = new Date(NOW).toUTCString();
    const expected = "sha1=" + createHmac("sha1", "test").update(`date=${date}\n`).update(rawBody).digest("hex");
    expect(added).toEqual({ date, "x-hub-signature": expected });
    expect(compileAuth({ signature }, clustaar)!({ headers: added, rawBody, now: NOW })).toBeUndefined();
  });

  it("clustaar with a Date: keeps it and signs over it", () => {
    const date = new Date(NOW - 2000).toUTCString();
    const signature = hmacConfig(["test"]);
    const added = signRequest(signature, clustaar, rawBody, { date }, NOW);
    expect(Object.keys(added)).toEqual(["x-hub-signature"]);
    expect(compileAuth({ signature }, clustaar)!({ headers: { date, ...added }, rawBody, now: NOW })).toBeUndefined();
  });

  it("signs with the first secret", () => {
    const added = signRequest(hmacConfig(["first", "second"]), hutoma, rawBody, {}, NOW);
    expect(added["x-hub-signature"]).toBe("sha256=" + createHmac("sha256", "first").update(rawBody).digest("hex"));
    expect(compileAuth({ signature: hmacConfig(["second"]) }, hutoma)!({ headers: added, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
  });

  it("follows config overrides and the GitHub-style default, and what it makes passes", () => {
    for (const [signature, adapter] of [
      [hmacConfig(["k"], { algorithm: "sha512", encoding: "base64" }), hutoma],
      [hmacConfig(["k"], { header: "x-sig", prefix: "" }), plain],
      [hmacConfig(["k"]), plain],
    ] as const) {
      const added = signRequest(signature, adapter, rawBody, {}, NOW);
      expect(compileAuth({ signature }, adapter)!({ headers: added, rawBody, now: NOW })).toBeUndefined();
    }
    expect(Object.keys(signRequest(hmacConfig(["k"]), plain, rawBody, {}, NOW))).toEqual(["x-hub-signature-256"]);
    expect(signRequest(hmacConfig(["k"], { header: "x-sig", prefix: "" }), plain, rawBody, {}, NOW)["x-sig"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("standard-webhooks: a msg_ id unless given, the timestamp in seconds", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const made = signRequest(swConfig([secret]), plain, rawBody, {}, NOW + 500);
    expect(made["webhook-id"]).toMatch(/^msg_/);
    expect(made["webhook-timestamp"]).toBe(String(NOW / 1000));
    expect(made["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signRequest(swConfig([secret]), plain, rawBody, {}, NOW, "msg_given")["webhook-id"]).toBe("msg_given");
  });

  it("throws without a secret", () => {
    expect(() => signRequest(hmacConfig([]), hutoma, rawBody, {}, NOW)).toThrow(/no secret/);
  });
});
