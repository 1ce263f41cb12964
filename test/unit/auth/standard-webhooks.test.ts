import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compileStandardWebhooks, DEFAULT_TOLERANCE_MS, standardWebhooksHeaders, standardWebhooksKey } from "../../../src/auth/standard-webhooks.js";
import { swConfig } from "./fake-adapters.js";
import { standardWebhooksVector as v } from "./vectors.js";

const FAILED = { code: "WHS_ERR_AUTH_FAILED" };
const rawBody = Buffer.from(v.body);
const now = Number(v.timestamp) * 1000;
const headers = { "webhook-id": v.id, "webhook-timestamp": v.timestamp, "webhook-signature": v.signature };

describe("compileStandardWebhooks", () => {
  const check = compileStandardWebhooks(swConfig([v.secret]));

  it("passes the vector", () => {
    expect(check({ headers, rawBody, now })).toBeUndefined();
  });

  it("fails when any of the three headers is missing", () => {
    for (const name of Object.keys(headers)) {
      const partial: Record<string, string> = { ...headers };
      delete partial[name];
      expect(check({ headers: partial, rawBody, now }), name).toEqual(FAILED);
    }
  });

  it("fails a re-spaced body, another id or another timestamp", () => {
    expect(check({ headers, rawBody: Buffer.from('{"test":2432232314}'), now })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "webhook-id": "msg_other" }, rawBody, now })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "webhook-timestamp": String(Number(v.timestamp) + 1) }, rawBody, now })).toEqual(FAILED);
  });

  it("applies the tolerance both ways (default 5 min), inclusive", () => {
    expect(DEFAULT_TOLERANCE_MS).toBe(300_000);
    expect(check({ headers, rawBody, now: now + 300_000 })).toBeUndefined();
    expect(check({ headers, rawBody, now: now - 300_000 })).toBeUndefined();
    expect(check({ headers, rawBody, now: now + 300_001 })).toEqual(FAILED); // too old
    expect(check({ headers, rawBody, now: now - 300_001 })).toEqual(FAILED); // too new
  });

  it("uses the configured tolerance", () => {
    const strict = compileStandardWebhooks(swConfig([v.secret], 10_000));
    expect(strict({ headers, rawBody, now: now + 10_000 })).toBeUndefined();
    expect(strict({ headers, rawBody, now: now + 11_000 })).toEqual(FAILED);
  });

  it("fails a timestamp that is not integer seconds", () => {
    for (const ts of ["1614265330.0", "-1614265330", "abc", " 1614265330", "1614265330000000000"]) {
      expect(check({ headers: { ...headers, "webhook-timestamp": ts }, rawBody, now }), ts).toEqual(FAILED);
    }
  });

  it("checks every v1 entry of the space-separated list and skips other versions", () => {
    const other = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    const v1a = `v1a,${v.signature.slice(3)}`;
    expect(check({ headers: { ...headers, "webhook-signature": `${v1a} ${other} ${v.signature}` }, rawBody, now })).toBeUndefined();
    expect(check({ headers: { ...headers, "webhook-signature": `${v1a} ${other}` }, rawBody, now })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "webhook-signature": `v2,${v.signature.slice(3)}` }, rawBody, now })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "webhook-signature": v.signature.slice(3) }, rawBody, now })).toEqual(FAILED);
    expect(check({ headers: { ...headers, "webhook-signature": v.signature.slice(0, -1) }, rawBody, now })).toEqual(FAILED);
  });

  it("passes with any of several secrets (rotation), fails an unknown one", () => {
    const newSecret = "whsec_" + Buffer.from("another-secret-of-24-byte").toString("base64");
    const rotated = compileStandardWebhooks(swConfig([newSecret, v.secret]));
    expect(rotated({ headers, rawBody, now })).toBeUndefined();
    const signedNew = standardWebhooksHeaders(newSecret, rawBody, now, v.id);
    expect(rotated({ headers: signedNew, rawBody, now })).toBeUndefined();
    expect(check({ headers: signedNew, rawBody, now })).toEqual(FAILED);
  });
});

describe("standardWebhooksKey", () => {
  it("base64-decodes after whsec_, adding missing padding", () => {
    const key = Buffer.from("0123456789abcdefghij!"); // 21 bytes: base64 ends in one '='
    const unpadded = key.toString("base64").replace(/=+$/, "");
    expect(standardWebhooksKey(`whsec_${unpadded}`)).toEqual(key);
    expect(standardWebhooksKey(key.toString("base64"))).toEqual(key);
  });

  it("signs with the decoded key, not the text", () => {
    const expected = createHmac("sha256", standardWebhooksKey(v.secret)).update(`${v.id}.${v.timestamp}.${v.body}`).digest("base64");
    expect(`v1,${expected}`).toBe(v.signature);
  });

  it("rejects a secret that is not base64, without echoing it", () => {
    expect(() => standardWebhooksKey("whsec_not*base64")).toThrow(TypeError);
    expect(() => standardWebhooksKey("whsec_")).toThrow(TypeError);
    try {
      standardWebhooksKey("whsec_not*base64");
    } catch (error) {
      expect(String(error)).not.toContain("not*base64");
    }
  });
});

describe("standardWebhooksHeaders", () => {
  it("makes a msg_ id when none is given, and the timestamp in seconds", () => {
    const made = standardWebhooksHeaders(v.secret, rawBody, now + 999);
    expect(made["webhook-id"]).toMatch(/^msg_[A-Za-z0-9_-]{20,}$/);
    expect(made["webhook-timestamp"]).toBe(v.timestamp);
    expect(standardWebhooksHeaders(v.secret, rawBody, now)["webhook-id"]).not.toBe(made["webhook-id"]);
    expect(compileStandardWebhooks(swConfig([v.secret]))({ headers: made, rawBody, now })).toBeUndefined();
  });
});
