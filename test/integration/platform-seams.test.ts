/**
 * The adapter interface's seams, proven by a platform that exists only here
 * (test/fixtures/platforms/form-xml-platform.ts, one file, registered with registerPlatform):
 * form bodies with a JSON field, a signature over the URL and sorted fields, XML answers and a
 * GET challenge, through every carrier (the plugin in a user's app, the server on a socket,
 * the in-memory carrier), beside a JSON platform on the same server. The signatures are
 * computed here with node:crypto, independently of the scheme under test.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSampleRequest } from "../../src/core/build-sample-request.js";
import { handleBytes } from "../../src/core/handle-bytes.js";
import type { Pipeline } from "../../src/core/handle.js";
import { loadConfigFromString } from "../../src/config/load-config.js";
import { formatIssue } from "../../src/errors.js";
import { registerPlatform } from "../../src/platforms/registry.js";
import type { FastifyInstance } from "fastify";
import type { HttpServer } from "../../src/server/http-server.js";
import { formXml, SIGNATURE_HEADER } from "../fixtures/platforms/form-xml-platform.js";
import { runAdapterSuite } from "../platforms/conformance.js";
import { startCarriers, type Carriers } from "../helpers/start-carriers.js";

registerPlatform(formXml);

runAdapterSuite(formXml, { samples: [{ event: "message", text: "hi", params: { city: "Rome" } }, { event: "status", sessionId: "+4930123" }], notInAuto: true });

const SECRET = "form-xml-secret";
const CONFIG = `server: { metrics: false }
webhooks:
  - path: /sms
    platform: form-xml
    auth: { signature: { secret: ${SECRET} } }
    routes:
      - { event: message, reply: { text: "Weather in {{ params.city }} <sunny> & warm" } }
      - { event: photo, reply: { text: "Here", media: "https://example.com/{{ params.city }}.png" } }
  - path: /json
    platform: generic
    routes:
      - { event: hi, reply: { text: "json" } }
`;

/** The signature a sender computes: HMAC-SHA256 over the URL, then each field's name and value sorted by name. */
function sign(url: string, form: string): string {
  const fields = [...new URLSearchParams(form)].sort(([a], [b]) => (a < b ? -1 : 1));
  return createHmac("sha256", SECRET)
    .update(url + fields.map(([k, v]) => k + v).join(""))
    .digest("base64");
}

const FORM = new URLSearchParams({ From: "+15550001111", Event: "message", Body: "weather?", Payload: JSON.stringify({ city: "Rome" }) }).toString();
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

let dir = "";
let pipeline: Pipeline;
let server: HttpServer;
let port = 0;
let userApp: FastifyInstance;
let served: Carriers;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "whs-seams-"));
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  served = await startCarriers(join(dir, "config.yaml"));
  ({ pipeline, server, port, userApp } = served);
});

afterAll(async () => {
  await served.close();
  rmSync(dir, { recursive: true, force: true });
});

const carriers: Record<string, (method: string, url: string, headers: Record<string, string>, body?: string) => Promise<Answer>> = {
  "the server on a socket": async (method, url, headers, body) => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, type: res.headers.get("content-type") ?? undefined, body: await res.text() };
  },
  "the plugin under /bots in a user's app": async (method, url, headers, body) => {
    const res = await userApp.inject({ method: method as "POST", url: `/bots${url}`, headers, ...(body !== undefined ? { payload: body } : {}) });
    return { status: res.statusCode, type: res.headers["content-type"] as string | undefined, body: res.body };
  },
  "the in-memory carrier": async (method, url, headers, body) => {
    const res = await handleBytes(pipeline, { method, url, headers, ...(body !== undefined ? { body: Buffer.from(body) } : {}) });
    return { status: res.status, type: res.headers["content-type"], body: res.body };
  },
};

describe.each(Object.entries(carriers))("%s", (_name, send) => {
  it("reads a signed form with a JSON field and answers in XML", async () => {
    const res = await send("POST", "/sms", { ...FORM_TYPE, [SIGNATURE_HEADER]: sign("/sms", FORM) }, FORM);
    expect(res).toEqual({ status: 200, type: "application/xml", body: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Weather in Rome &#60;sunny&#62; &#38; warm</Message></Response>' });
  });

  it("signs the URL: the same form signed for another path, or with a field changed, is refused", async () => {
    expect((await send("POST", "/sms", { ...FORM_TYPE, [SIGNATURE_HEADER]: sign("/other", FORM) }, FORM)).status).toBe(401);
    const changed = FORM.replace("Rome", "Oslo");
    expect((await send("POST", "/sms", { ...FORM_TYPE, [SIGNATURE_HEADER]: sign("/sms", FORM) }, changed)).status).toBe(401);
    const missing = await send("POST", "/sms", FORM_TYPE, FORM);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: "WHS_ERR_AUTH_MISSING" } });
  });

  it("answers 415 for a media type the webhook's platform does not read, each way round", async () => {
    const json = await send("POST", "/sms", { "content-type": "application/json" }, JSON.stringify({ From: "x", Event: "message" }));
    expect(json.status).toBe(415);
    expect(JSON.parse(json.body)).toMatchObject({ error: { code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" } });
    expect((await send("POST", "/json", FORM_TYPE, "type=hi")).status).toBe(415);
    expect((await send("POST", "/json", { "content-type": "application/json" }, JSON.stringify({ type: "hi" }))).body).toBe(JSON.stringify({ text: "json" }));
  });

  it("answers the platform's GET challenge before auth, and only with the right token", async () => {
    const challenge = await send("GET", "/sms?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + SECRET, {});
    expect(challenge).toEqual({ status: 200, type: "text/plain; charset=utf-8", body: "1158201444" });
    expect((await send("GET", "/sms?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong", {})).status).toBe(403);
    const plain = await send("GET", "/sms", {});
    expect(plain.status).toBe(405);
    expect(JSON.parse(plain.body)).toMatchObject({ error: { code: "WHS_ERR_METHOD_NOT_ALLOWED" } });
  });

  it("takes the request send and the testing helper build (encoded as a form, signed by the scheme)", async () => {
    const webhook = pipeline.runtime.config.webhooks[0]!;
    const built = buildSampleRequest(webhook, { event: "message", params: { city: "Lima" } });
    expect(built.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(built.headers[SIGNATURE_HEADER]).toBe(sign("/sms", built.payload));
    const res = await send("POST", "/sms", built.headers, built.payload);
    expect(res.body).toContain("Weather in Lima");
  });
});

describe("a registered platform in the config", () => {
  it("is a known platform name, listed when another name is wrong", () => {
    expect(loadConfigFromString(CONFIG, { file: "c.yaml" }).ok).toBe(true);
    const wrong = loadConfigFromString("webhooks: [{ path: /a, platform: form-xm, routes: [] }]\n", { file: "c.yaml" });
    expect(wrong.ok).toBe(false);
    const message = wrong.ok ? "" : wrong.issues.map(formatIssue).join("\n");
    expect(message).toContain('"form-xm" is not a platform');
    expect(message).toMatch(/generic, form-xml, auto; did you mean "form-xml"\?/);
  });

  it("cannot take a name that is already taken", () => {
    expect(() => registerPlatform({ ...formXml, name: "generic" })).toThrow(/already taken/);
    expect(() => registerPlatform(formXml)).toThrow(/already taken/);
  });

  it("brings its own reply key: checked against its schema in static replies, answered in its format", async () => {
    const bad = loadConfigFromString("webhooks: [{ path: /a, platform: form-xml, routes: [{ event: x, reply: { media: ftp://x, medai: y } }] }]\n", { file: "c.yaml" });
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'webhooks[0].routes[0].reply.media: must match pattern "^https://" (line 1:81)',
      'webhooks[0].routes[0].reply: unknown key "medai"; did you mean "media"? (line 1:90)',
    ]);
    const form = new URLSearchParams({ From: "+15550001111", Event: "photo", Payload: JSON.stringify({ city: "Rome" }) }).toString();
    const res = await server.fastify.inject({ method: "POST", url: "/sms", headers: { ...FORM_TYPE, [SIGNATURE_HEADER]: sign("/sms", form) }, payload: form });
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Here</Message><Media>https://example.com/Rome.png</Media></Response>');
    // Another platform cannot take the key.
    expect(() => registerPlatform({ ...formXml, name: "form-xml-2", replyFields: { media: { type: "string", description: "x" } } })).toThrow(/reply key "media" is already form-xml's/);
    expect(() => registerPlatform({ ...formXml, name: "form-xml-3", replyFields: { native: { type: "object", description: "x" } } })).toThrow(/reply key "native" is already every platform's/);
  });
});
