import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compileHmacSignature, GITHUB_STYLE_DEFAULTS, resolveHmacParams } from "../../../src/auth/hmac-signature.js";
import type { Headers } from "../../../src/types.js";
import { clustaar, hmacConfig, hutoma, NOW, plain } from "./fake-adapters.js";
import { clustaarVector, hutomaVector } from "./vectors.js";

const FAILED = { code: "WHS_ERR_AUTH_FAILED" };
const hmac = (alg: string, key: string, data: string | Buffer) => createHmac(alg, key).update(data);

describe("compileHmacSignature (Hu:toma defaults)", () => {
  const rawBody = Buffer.from(hutomaVector.body);
  const check = compileHmacSignature(hmacConfig([hutomaVector.secret]), hutoma);
  const run = (headers: Headers, body = rawBody) => check({ headers, rawBody: body, now: NOW });

  it("passes the vector, and upper-case hex", () => {
    expect(run({ "x-hub-signature": hutomaVector.header })).toBeUndefined();
    expect(run({ "x-hub-signature": "sha256=" + hutomaVector.header.slice(7).toUpperCase() })).toBeUndefined();
  });

  it("fails a re-spaced body: same JSON, other bytes", () => {
    const respaced = Buffer.from(JSON.stringify(JSON.parse(hutomaVector.body), null, 1));
    expect(JSON.parse(respaced.toString())).toEqual(JSON.parse(hutomaVector.body));
    expect(run({ "x-hub-signature": hutomaVector.header }, respaced)).toEqual(FAILED);
  });

  it("fails a missing header, another header name, a wrong prefix, a truncated or non-hex digest", () => {
    const digest = hutomaVector.header.slice(7);
    for (const headers of [
      {},
      { "x-hub-signature-256": hutomaVector.header },
      { "x-hub-signature": digest },
      { "x-hub-signature": `sha1=${digest}` },
      { "x-hub-signature": `SHA256=${digest}` },
      { "x-hub-signature": `sha256=${digest.slice(0, -2)}` },
      { "x-hub-signature": `sha256=${digest}00` },
      { "x-hub-signature": `sha256=${digest.slice(0, -1)}g` },
      { "x-hub-signature": `sha256=${Buffer.from(digest, "hex").toString("base64")}` },
      { "x-hub-signature": "" },
    ]) {
      expect(run(headers), JSON.stringify(headers)).toEqual(FAILED);
    }
  });

  it("fails a signature made with another secret", () => {
    const other = "sha256=" + hmac("sha256", "other", rawBody).digest("hex");
    expect(run({ "x-hub-signature": other })).toEqual(FAILED);
  });
});

describe("key rotation", () => {
  const rawBody = Buffer.from('{"a":1}');
  const sig = (key: string) => "sha256=" + hmac("sha256", key, rawBody).digest("hex");
  const check = compileHmacSignature(hmacConfig(["new-secret", "old-secret"]), hutoma);
  const run = (value: string) => check({ headers: { "x-hub-signature": value }, rawBody, now: NOW });

  it("passes the old and the new secret", () => {
    expect(run(sig("new-secret"))).toBeUndefined();
    expect(run(sig("old-secret"))).toBeUndefined();
  });

  it("fails an unknown secret", () => {
    expect(run(sig("retired-secret"))).toEqual(FAILED);
  });
});

describe("config overrides of the platform defaults", () => {
  const rawBody = Buffer.from('{"x":true}');

  it("algorithm sha512 + base64: the prefix follows the algorithm", () => {
    const config = hmacConfig(["k"], { algorithm: "sha512", encoding: "base64" });
    expect(resolveHmacParams(config, hutoma)).toMatchObject({ header: "x-hub-signature", algorithm: "sha512", encoding: "base64", prefix: "sha512=" });
    const check = compileHmacSignature(config, hutoma);
    const good = "sha512=" + hmac("sha512", "k", rawBody).digest("base64");
    expect(check({ headers: { "x-hub-signature": good }, rawBody, now: NOW })).toBeUndefined();
    // url-safe alphabet without padding decodes to the same digest
    const urlSafe = "sha512=" + hmac("sha512", "k", rawBody).digest("base64url");
    expect(check({ headers: { "x-hub-signature": urlSafe }, rawBody, now: NOW })).toBeUndefined();
    // the right digest in the wrong encoding or algorithm fails
    for (const bad of [
      "sha512=" + hmac("sha512", "k", rawBody).digest("hex"),
      "sha512=" + hmac("sha256", "k", rawBody).digest("base64"),
      "sha256=" + hmac("sha512", "k", rawBody).digest("base64"),
    ]) {
      expect(check({ headers: { "x-hub-signature": bad }, rawBody, now: NOW })).toEqual(FAILED);
    }
  });

  it("header and prefix overrides, including an empty prefix", () => {
    const config = hmacConfig(["k"], { header: "X-Signature", prefix: "" });
    const check = compileHmacSignature(config, hutoma);
    const digest = hmac("sha256", "k", rawBody).digest("hex");
    expect(check({ headers: { "x-signature": digest }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { "x-signature": `sha256=${digest}` }, rawBody, now: NOW })).toEqual(FAILED);
    expect(check({ headers: { "x-hub-signature": digest }, rawBody, now: NOW })).toEqual(FAILED);
  });

  it("without platform defaults or a configured header: GitHub-style x-hub-signature-256, sha256, hex, sha256=", () => {
    expect(resolveHmacParams(hmacConfig(["k"]), plain)).toEqual({ ...GITHUB_STYLE_DEFAULTS });
    const check = compileHmacSignature(hmacConfig(["k"]), plain);
    const value = "sha256=" + hmac("sha256", "k", rawBody).digest("hex");
    expect(check({ headers: { "x-hub-signature-256": value }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { "x-hub-signature": value }, rawBody, now: NOW })).toEqual(FAILED);
  });

  it("a configured header on a platform without defaults keeps the GitHub-style algorithm and prefix", () => {
    expect(resolveHmacParams(hmacConfig(["k"], { header: "x-sig", algorithm: "sha1" }), plain)).toEqual({
      header: "x-sig", algorithm: "sha1", encoding: "hex", prefix: "sha1=",
    });
  });
});

describe("compileHmacSignature (Clustaar defaults: signs date=<Date>\\n<body>)", () => {
  const rawBody = Buffer.from(clustaarVector.body);
  const check = compileHmacSignature(hmacConfig([clustaarVector.secret]), clustaar);

  it("passes the vector without a Date header", () => {
    expect(check({ headers: { "x-hub-signature": clustaarVector.header }, rawBody, now: NOW })).toBeUndefined();
  });

  it("covers the Date header: the vector fails once a Date is added, a signature over it passes", () => {
    const date = new Date(NOW).toUTCString();
    expect(check({ headers: { "x-hub-signature": clustaarVector.header, date }, rawBody, now: NOW })).toEqual(FAILED);
    const value = "sha1=" + hmac("sha1", "test", `date=${date}\n{}`).digest("hex");
    expect(check({ headers: { "x-hub-signature": value, date }, rawBody, now: NOW })).toBeUndefined();
    expect(check({ headers: { "x-hub-signature": value, date: new Date(NOW + 1000).toUTCString() }, rawBody, now: NOW })).toEqual(FAILED);
  });

  it("refuses sha256 where the platform uses sha1 (Clustaar only knows sha1)", () => {
    const value = "sha256=" + hmac("sha256", "test", "date=None\n{}").digest("hex");
    expect(check({ headers: { "x-hub-signature": value }, rawBody, now: NOW })).toEqual(FAILED);
  });
});
