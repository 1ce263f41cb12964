/**
 * The signature schemes and auth.bearer through every carrier (the server on a socket, the
 * plugin in a user's app, the in-memory carrier): ed25519 (synchronous), a bearer JWT checked
 * against a key set on 127.0.0.1 (a check that fetches, so the core awaits it), the test-only
 * platform's URL-signing scheme on a webhook with publicUrl, a scheme a platform file
 * registers by name, and the alexa scheme with a test CA whose chains a local HTTPS server serves. Signatures and
 * tokens are made here with node:crypto and jose, independently of the code under test.
 */
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlexaScheme } from "../../src/auth/alexa-signature.js";
import { registerSignatureScheme } from "../../src/auth/signature-schemes.js";
import { createUrlAndFieldsScheme } from "../../src/auth/url-and-fields.js";
import { buildSampleRequest } from "../../src/core/build-sample-request.js";
import { handleBytes } from "../../src/core/handle-bytes.js";
import type { Pipeline } from "../../src/core/handle.js";
import { registerPlatform } from "../../src/platforms/registry.js";
import type { FastifyInstance } from "fastify";
import { formXml, SIGNATURE_HEADER } from "../fixtures/platforms/form-xml-platform.js";
import { spawnServer } from "../helpers/spawn-server.js";
import { startCarriers, type Carriers } from "../helpers/start-carriers.js";
import { signedAlexaRequest, startChainServer, TEST_ROOT, type ChainServer } from "../helpers/alexa-test-ca.js";

const ed = generateKeyPairSync("ed25519");
const ED_PUBLIC = Buffer.from(ed.publicKey.export({ format: "jwk" }).x as string, "base64url").toString("hex");
const PUBLIC_URL = "https://bots.example.com/twilio/sms";
const TOKEN = "url-fields-token";

// The test-only platform: its own url-and-fields scheme (SHA-256) is its webhooks' default.
registerPlatform(formXml);
// A scheme a platform file registers by name (Twilio's shape: HMAC-SHA1 over URL + fields), used on a platform with a scheme of its own.
registerSignatureScheme(createUrlAndFieldsScheme({ name: "test-url-fields", header: "x-test-signature", algorithm: "sha1" }));

let dir = "";
let jwksServer: Server;
let pipeline: Pipeline;
let port = 0;
let userApp: FastifyInstance;
let served: Carriers;
let jwtKey: CryptoKey;
let chains: ChainServer;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  jwtKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" }] });
  jwksServer = createServer((req, res) => {
    if (req.url === "/keys") return void res.writeHead(200, { "content-type": "application/json" }).end(jwks);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const keys = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  // The alexa scheme with the test CA's chains served on 127.0.0.1, registered under its own name.
  chains = await startChainServer();
  registerSignatureScheme(createAlexaScheme({ name: "alexa-test-ca", fetchText: chains.fetchText, trustedRoots: [TEST_ROOT] }));
  dir = mkdtempSync(join(tmpdir(), "whs-auth-schemes-"));
  writeFileSync(
    join(dir, "config.yaml"),
    `server: { metrics: false }
webhooks:
  - path: /interactions
    platform: generic
    auth: { signature: { scheme: ed25519, publicKey: ${ED_PUBLIC} } }
    routes:
      - { event: command, reply: { text: "pong" } }
  - path: /teams
    platform: generic
    auth: { bearer: { jwks: "${keys}/keys", issuer: https://api.botframework.com, audience: app-1 } }
    routes:
      - { event: message, reply: { text: "hello teams" } }
  - path: /actions-server
    platform: rasa
    auth: { bearer: { jwks: "${keys}/keys", issuer: https://api.botframework.com, audience: app-1 } }
    routes:
      - { action: action_hello, reply: { text: "hi" } }
  - path: /skill
    platform: generic
    auth: { signature: { scheme: alexa-test-ca } }
    routes:
      - { when: [{ key: request.type, equals: LaunchRequest }], reply: { text: "welcome" } }
  - path: /down
    platform: generic
    auth: { bearer: { jwks: "${keys}/gone", issuer: i, audience: a } }
    routes:
      - { event: message, reply: { text: "never" } }
  - path: /sms
    platform: form-xml
    publicUrl: ${PUBLIC_URL}
    auth: { signature: { secret: ${TOKEN} } }
    routes:
      - { reply: { text: "sms" } }
  - path: /sms-sha1
    platform: form-xml
    publicUrl: ${PUBLIC_URL}
    auth: { signature: { scheme: test-url-fields, secret: ${TOKEN} } }
    routes:
      - { reply: { text: "sha1" } }
`,
  );
  served = await startCarriers(join(dir, "config.yaml"));
  ({ pipeline, port, userApp } = served);
});

afterAll(async () => {
  await served.close();
  await new Promise((resolve) => jwksServer.close(resolve));
  await chains.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

const carriers: Record<string, (url: string, headers: Record<string, string>, body: string) => Promise<Answer>> = {
  "the server on a socket": async (url, headers, body) => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, { method: "POST", headers, body });
    return { status: res.status, headers: { "www-authenticate": res.headers.get("www-authenticate") ?? undefined }, body: await res.text() };
  },
  "the plugin under /bots in a user's app": async (url, headers, body) => {
    const res = await userApp.inject({ method: "POST", url: `/bots${url}`, headers, payload: body });
    return { status: res.statusCode, headers: { "www-authenticate": res.headers["www-authenticate"] as string | undefined }, body: res.body };
  },
  "the in-memory carrier": async (url, headers, body) => {
    const res = await handleBytes(pipeline, { method: "POST", url, headers, body: Buffer.from(body) });
    return { status: res.status, headers: { "www-authenticate": res.headers["www-authenticate"] }, body: res.body };
  },
};

const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };
const interaction = JSON.stringify({ type: "command", data: { name: "ping" } });

function edHeaders(body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  return { "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), ed.privateKey).toString("hex"), "x-signature-timestamp": timestamp };
}

const bearer = (audience = "app-1") =>
  new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("https://api.botframework.com").setAudience(audience).setIssuedAt().setExpirationTime("5m").sign(jwtKey);

/** Twilio's computation, written out: base64 HMAC of the URL and the sorted fields (SHA-1 for Twilio, SHA-256 for the test platform). */
function urlFieldsSignature(url: string, form: string, algorithm: "sha1" | "sha256" = "sha256"): string {
  const fields = [...new URLSearchParams(form)].sort(([a], [b]) => (a < b ? -1 : 1));
  return createHmac(algorithm, TOKEN)
    .update(url + fields.map(([k, v]) => k + v).join(""))
    .digest("base64");
}
const FORM = new URLSearchParams({ Event: "message", From: "+15550001111", Body: "hi" }).toString();
const xml = (text: string) => `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${text}</Message></Response>`;

const errorCode = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;

describe.each(Object.entries(carriers))("%s", (_name, send) => {
  it("ed25519: a signed interaction passes; another body, another key or no signature answers 401", async () => {
    const ok = await send("/interactions", { ...JSON_TYPE, ...edHeaders(interaction) }, interaction);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ text: "pong" });
    const tampered = await send("/interactions", { ...JSON_TYPE, ...edHeaders(interaction) }, interaction.replace("ping", "pong"));
    expect([tampered.status, errorCode(tampered)]).toEqual([401, "WHS_ERR_AUTH_FAILED"]);
    const other = generateKeyPairSync("ed25519");
    const timestamp = String(Math.floor(Date.now() / 1000));
    const forged = { "x-signature-ed25519": sign(null, Buffer.from(timestamp + interaction), other.privateKey).toString("hex"), "x-signature-timestamp": timestamp };
    expect((await send("/interactions", { ...JSON_TYPE, ...forged }, interaction)).status).toBe(401);
    expect((await send("/interactions", JSON_TYPE, interaction)).status).toBe(401);
  });

  it("bearer: a token from the key set passes (the core awaits the check); another audience or none answers 401 with the challenge", async () => {
    const body = JSON.stringify({ type: "message", text: "hi" });
    const ok = await send("/teams", { ...JSON_TYPE, authorization: `Bearer ${await bearer()}` }, body);
    expect([ok.status, ok.body]).toEqual([200, JSON.stringify({ text: "hello teams" })]);
    const wrong = await send("/teams", { ...JSON_TYPE, authorization: `Bearer ${await bearer("app-2")}` }, body);
    expect([wrong.status, errorCode(wrong), wrong.headers["www-authenticate"]]).toEqual([401, "WHS_ERR_AUTH_FAILED", 'Bearer realm="webhook-serve", error="invalid_token"']);
    const none = await send("/teams", JSON_TYPE, body);
    expect([none.status, none.headers["www-authenticate"]]).toEqual([401, 'Bearer realm="webhook-serve"']);
  });

  it("alexa (test CA): a signed request passes once the chain is fetched; a changed body answers 401, a stale one 400", async () => {
    const signed = signedAlexaRequest(new Date().toISOString(), Date.now());
    const body = signed.rawBody.toString();
    const ok = await send("/skill", { ...JSON_TYPE, ...signed.headers }, body);
    expect([ok.status, ok.body]).toEqual([200, JSON.stringify({ text: "welcome" })]);
    const changed = await send("/skill", { ...JSON_TYPE, ...signed.headers }, body.replace("LaunchRequest", "IntentRequest"));
    expect([changed.status, errorCode(changed)]).toEqual([401, "WHS_ERR_AUTH_FAILED"]);
    const old = signedAlexaRequest(new Date(Date.now() - 200_000).toISOString(), Date.now());
    const stale = await send("/skill", { ...JSON_TYPE, ...old.headers }, old.rawBody.toString());
    expect([stale.status, errorCode(stale)]).toEqual([400, "WHS_ERR_REQUEST_STALE"]);
  });

  it("bearer: a key set that cannot be fetched answers 503 WHS_ERR_AUTH_UNAVAILABLE, and the token never shows in the answer", async () => {
    const token = await bearer();
    const res = await send("/down", { ...JSON_TYPE, authorization: `Bearer ${token}` }, JSON.stringify({ type: "message" }));
    expect([res.status, errorCode(res)]).toEqual([503, "WHS_ERR_AUTH_UNAVAILABLE"]);
    expect(res.body).not.toContain(token.split(".")[2]!);
  });

  it("publicUrl: the platform's own scheme covers the public URL and the request's query, not the path received", async () => {
    const signed = urlFieldsSignature(`${PUBLIC_URL}?channel=a`, FORM);
    const ok = await send("/sms?channel=a", { ...FORM_TYPE, [SIGNATURE_HEADER]: signed }, FORM);
    expect([ok.status, ok.body]).toEqual([200, xml("sms")]);
    // Signed for the path as this server received it: what a proxy setup gets wrong.
    const local = await send("/sms?channel=a", { ...FORM_TYPE, [SIGNATURE_HEADER]: urlFieldsSignature("/sms?channel=a", FORM) }, FORM);
    expect(local.status).toBe(401);
    // The query is part of it.
    expect((await send("/sms?channel=b", { ...FORM_TYPE, [SIGNATURE_HEADER]: signed }, FORM)).status).toBe(401);
  });

  it("a registered scheme named on a platform with its own: Twilio's SHA-1 over publicUrl and fields", async () => {
    const ok = await send("/sms-sha1", { ...FORM_TYPE, "x-test-signature": urlFieldsSignature(PUBLIC_URL, FORM, "sha1") }, FORM);
    expect([ok.status, ok.body]).toEqual([200, xml("sha1")]);
    expect((await send("/sms-sha1", { ...FORM_TYPE, "x-test-signature": urlFieldsSignature(PUBLIC_URL, FORM) }, FORM)).status).toBe(401);
    const missing = await send("/sms-sha1", FORM_TYPE, FORM);
    expect([missing.status, errorCode(missing)]).toEqual([400, "WHS_ERR_AUTH_MISSING"]);
  });
});

describe("a platform's GET listing behind the webhook's bearer auth (the core awaits it there too)", () => {
  it("answers with a valid token, and 401 without", async () => {
    const get = (headers: Record<string, string>) => handleBytes(pipeline, { method: "GET", url: "/actions-server/actions", headers });
    const ok = await get({ authorization: `Bearer ${await bearer()}` });
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, [{ name: "action_hello" }]]);
    const denied = await get({});
    expect([denied.status, denied.headers["www-authenticate"]]).toEqual([401, 'Bearer realm="webhook-serve"']);
    expect((await get({ authorization: `Bearer ${await bearer("app-2")}` })).status).toBe(401);
  });
});

describe("requests webhook-serve builds (send, the testing helper, the inspector's replay)", () => {
  it("are signed over publicUrl", async () => {
    const webhook = pipeline.runtime.config.webhooks.find((w) => w.path === "/sms")!;
    const built = buildSampleRequest(webhook, { event: "message", text: "hi" });
    expect(built.headers[SIGNATURE_HEADER]).toBe(urlFieldsSignature(PUBLIC_URL, built.payload));
    const res = await handleBytes(pipeline, { method: "POST", url: "/sms", headers: built.headers, body: Buffer.from(built.payload) });
    expect(res.status).toBe(200);
  });

  it("cannot be signed for ed25519 without the platform's private key, and say so", () => {
    const webhook = pipeline.runtime.config.webhooks.find((w) => w.path === "/interactions")!;
    expect(() => buildSampleRequest(webhook, { event: "command" })).toThrow(/private key/);
  });
});

describe("the packaged CLI (its bundle leaves jose out and imports it on the first token)", () => {
  it("checks a bearer token against the key set", { timeout: 30_000 }, async () => {
    const keys = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    const file = join(dir, "cli.yaml");
    writeFileSync(file, `webhooks:\n  - path: /teams\n    platform: generic\n    auth: { bearer: { jwks: "${keys}/keys", issuer: https://api.botframework.com, audience: app-1 } }\n    routes:\n      - { event: message, reply: { text: "hello teams" } }\n`);
    const cli = await spawnServer([file]);
    try {
      const post = (authorization: string) => fetch(`${cli.url}/teams`, { method: "POST", headers: { ...JSON_TYPE, authorization }, body: JSON.stringify({ type: "message" }) });
      const ok = await post(`Bearer ${await bearer()}`);
      expect([ok.status, await ok.json()]).toEqual([200, { text: "hello teams" }]);
      expect((await post(`Bearer ${await bearer("app-2")}`)).status).toBe(401);
    } finally {
      await cli.stop();
    }
  });
});
