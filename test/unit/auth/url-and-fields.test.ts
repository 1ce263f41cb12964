import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUrlAndFieldsScheme, urlAndFieldsContent } from "../../../src/auth/url-and-fields.js";
import type { SignatureConfig } from "../../../src/config/types.js";
import { NOW } from "./fake-adapters.js";

// twilio-node's own test vector (spec/unit/webhooks/webhooks.spec.js): token, URL, fields and signature.
const TOKEN = "12345";
const URL_SIGNED = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FIELDS = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };
const SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

const scheme = createUrlAndFieldsScheme({ name: "test-url-fields", header: "x-test-signature", algorithm: "sha1" });
const config: SignatureConfig = { scheme: "test-url-fields", secrets: ["old-token", TOKEN], tolerance: 300_000 };
// The form as sent: in another order than the signed one.
const rawBody = Buffer.from(new URLSearchParams({ To: FIELDS.To, From: FIELDS.From, Digits: FIELDS.Digits, Caller: FIELDS.Caller, CallSid: FIELDS.CallSid }).toString());
const check = scheme.compile(config, {});

describe("url-and-fields signatures", () => {
  it("passes Twilio's vector, with any of the secrets", () => {
    expect(check({ headers: { "x-test-signature": SIGNATURE }, rawBody, now: NOW, url: URL_SIGNED })).toBeUndefined();
  });

  it("refuses another URL, a changed field, another token, and names a missing header", () => {
    expect(check({ headers: { "x-test-signature": SIGNATURE }, rawBody, now: NOW, url: "https://mycompany.com/myapp.php?foo=1" })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
    expect(check({ headers: { "x-test-signature": SIGNATURE }, rawBody: Buffer.from(rawBody.toString().replace("1234", "1235")), now: NOW, url: URL_SIGNED })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
    expect(scheme.compile({ ...config, secrets: ["other"] }, {})({ headers: { "x-test-signature": SIGNATURE }, rawBody, now: NOW, url: URL_SIGNED })).toEqual({ code: "WHS_ERR_AUTH_FAILED" });
    expect(check({ headers: {}, rawBody, now: NOW, url: URL_SIGNED })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["x-test-signature"] });
  });

  it("signs with the first secret what the check accepts", () => {
    const headers = scheme.sign!({ ...config, secrets: [TOKEN] }, { headers: {}, rawBody, now: NOW, url: URL_SIGNED }, {});
    expect(headers).toEqual({ "x-test-signature": SIGNATURE });
  });

  it("sorts repeated names by value, and reads + and %20 in fields as spaces", () => {
    expect(urlAndFieldsContent("u", Buffer.from("b=2&a=z&a=y&c=x+y%20z"))).toBe("uayazb2cx y z");
    const signed = createHmac("sha256", "s").update("uayazb2cx y z").digest("base64");
    expect(createUrlAndFieldsScheme({ name: "x", header: "h", algorithm: "sha256" }).compile({ ...config, secrets: ["s"] }, {})({ headers: { h: signed }, rawBody: Buffer.from("b=2&a=z&a=y&c=x+y%20z"), now: NOW, url: "u" })).toBeUndefined();
  });
});
