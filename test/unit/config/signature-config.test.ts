/**
 * `auth.signature` per scheme and `publicUrl`: what loads, how it is normalized, and the
 * problems a config gets, each with its path and line:column.
 */
import { describe, expect, it } from "vitest";
import { loadConfigFromString, type LoadResult } from "../../../src/config/load-config.js";
import type { Config } from "../../../src/config/types.js";
import { formatIssue } from "../../../src/errors.js";

const KEY = "e0b1ae9bd3a5d9d1e8e3f1f5a2a6c0d2b1e4f7a8c9d0e1f2a3b4c5d6e7f8a9b0";
const load = (text: string): LoadResult => loadConfigFromString(text, { file: "/tmp/c.yaml", env: {} });
const webhook = (body: string, platform = "generic") => `webhooks:\n  - path: /hook\n    platform: ${platform}\n${body}`;

function config(result: LoadResult): Config {
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.config;
}
function problems(result: LoadResult): string[] {
  if (result.ok) throw new Error("expected issues, the config loaded");
  return result.issues.map(formatIssue);
}

describe("auth.signature schemes", () => {
  it("loads an ed25519 signature with its public key, and no secret", () => {
    const signature = config(load(webhook(`    auth:\n      signature: { scheme: ed25519, publicKey: ${KEY}, tolerance: 1m }\n`))).webhooks[0]!.auth!.signature!;
    expect(signature).toEqual({ scheme: "ed25519", secrets: [], publicKey: KEY, tolerance: 60_000 });
  });

  it("loads an alexa signature with nothing else", () => {
    expect(config(load(webhook("    auth:\n      signature: { scheme: alexa }\n"))).webhooks[0]!.auth!.signature!.scheme).toBe("alexa");
  });

  it("defaults to hmac on a platform without a scheme of its own", () => {
    expect(config(load(webhook("    auth:\n      signature: { secret: s }\n"))).webhooks[0]!.auth!.signature!.scheme).toBe("hmac");
  });

  it.each([
    ["an unknown scheme, with the list and a suggestion", "signature: { scheme: ed2551, publicKey: x }", 'webhooks[0].auth.signature.scheme: "ed2551" is not allowed; must be one of: hmac, standard-webhooks, ed25519, alexa'],
    ["ed25519 without its key", "signature: { scheme: ed25519 }", "webhooks[0].auth.signature: scheme ed25519 needs publicKey (line 5:18)"],
    ["a key that is not 64 hex digits", "signature: { scheme: ed25519, publicKey: abc }", "webhooks[0].auth.signature.publicKey: an ed25519 publicKey must be 64 hex digits (the 32-byte key, as the platform shows it) (line 5:48)"],
    ["a secret on ed25519", `signature: { scheme: ed25519, publicKey: ${KEY}, secret: s }`, 'webhooks[0].auth.signature: scheme ed25519 does not read "secret" (hmac, standard-webhooks do) (line 5:'],
    ["a publicKey on hmac", `signature: { secret: s, publicKey: ${KEY} }`, 'webhooks[0].auth.signature: scheme hmac does not read "publicKey" (ed25519 does) (line 5:'],
    ["an HMAC header on standard-webhooks", "signature: { scheme: standard-webhooks, secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, header: x-sig }", 'scheme standard-webhooks does not read "header" (hmac does)'],
    ["a tolerance on alexa (Amazon fixes 150 s)", "signature: { scheme: alexa, tolerance: 10m }", 'scheme alexa does not read "tolerance" (standard-webhooks, ed25519 do)'],
    ["both secret and secrets", "signature: { secret: a, secrets: [b] }", "webhooks[0].auth.signature: a signature takes secret or secrets, not both (line 5:18)"],
    ["a standard-webhooks secret that is no whsec_ value", "signature: { scheme: standard-webhooks, secrets: [ok, '!!'] }", "webhooks[0].auth.signature.secrets[1]: A standard-webhooks secret must be whsec_ followed by base64"],
  ])("reports %s", (_name, signature, expected) => {
    const found = problems(load(webhook(`    auth:\n      ${signature}\n`)));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("never prints a secret or key value in a problem", () => {
    const found = problems(load(webhook("    auth:\n      signature: { scheme: ed25519, publicKey: not-a-key-s3cr3t }\n"))).join("\n");
    expect(found).not.toContain("s3cr3t");
  });
});

describe("publicUrl", () => {
  it("is kept as written", () => {
    expect(config(load(webhook("    publicUrl: https://bots.example.com/twilio/sms\n"))).webhooks[0]!.publicUrl).toBe("https://bots.example.com/twilio/sms");
  });

  it.each([
    ["a path", "/sms"],
    ["a query", "https://bots.example.com/sms?x=1"],
    ["a fragment", "https://bots.example.com/sms#a"],
    ["another scheme", "ftp://bots.example.com/sms"],
  ])("refuses a URL with %s, with its line", (_name, url) => {
    expect(problems(load(webhook(`    publicUrl: "${url}"\n`)))).toEqual([
      "webhooks[0].publicUrl: must be an http:// or https:// URL without a query or fragment (the request's query is appended) (line 4:16)",
    ]);
  });
});

describe("auth.bearer", () => {
  it("loads with one issuer and audience as lists, and the defaults", () => {
    const bearer = config(load(webhook("    auth:\n      bearer: { jwks: https://login.botframework.com/v1/.well-known/keys, issuer: https://api.botframework.com, audience: my-app-id }\n"))).webhooks[0]!.auth!.bearer!;
    expect(bearer).toEqual({
      jwks: "https://login.botframework.com/v1/.well-known/keys",
      issuer: ["https://api.botframework.com"],
      audience: ["my-app-id"],
      algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
      clockTolerance: 300_000,
    });
  });

  it("takes lists, algorithms and a tolerance", () => {
    const bearer = config(load(webhook("    auth:\n      bearer: { jwks: 'http://127.0.0.1:8081/keys', issuer: [a, b], audience: [c], algorithms: [RS256], clockTolerance: 30s }\n"))).webhooks[0]!.auth!.bearer!;
    expect(bearer).toMatchObject({ issuer: ["a", "b"], audience: ["c"], algorithms: ["RS256"], clockTolerance: 30_000 });
  });

  it.each([
    ["no audience", "bearer: { jwks: 'https://x.example/keys', issuer: i }", 'webhooks[0].auth.bearer: missing required key "audience" (line 5:15)'],
    ["a key set over plain http elsewhere than this machine", "bearer: { jwks: 'http://keys.example/keys', issuer: i, audience: a }", "webhooks[0].auth.bearer.jwks: must be an https:// URL (http:// only on 127.0.0.1 or localhost) (line 5:23)"],
    ["an HMAC algorithm", "bearer: { jwks: 'https://x.example/keys', issuer: i, audience: a, algorithms: [HS256] }", 'webhooks[0].auth.bearer.algorithms[0]: "HS256" is not allowed; must be one of: RS256'],
    ["an empty issuer list", "bearer: { jwks: 'https://x.example/keys', issuer: [], audience: a }", "webhooks[0].auth.bearer.issuer: must have at least 1 item"],
  ])("reports %s", (_name, bearer, expected) => {
    const found = problems(load(webhook(`    auth:\n      ${bearer}\n`)));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });
});
