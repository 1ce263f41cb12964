/**
 * HTTP behaviour as a table (request → status, code, body), run through every carrier of the
 * core: the server (`inject`), the same server listening on a socket, the plugin mounted under
 * a prefix in a user's own Fastify app (with the user's hook and route beside it), and the
 * in-memory carrier the serverless entries, `send` and the testing helper use. They must
 * answer alike.
 */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleBytes } from "../../src/core/handle-bytes.js";
import type { Pipeline } from "../../src/core/handle.js";
import { loadPipeline } from "../../src/core/load-pipeline.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";
import webhookServe from "../../src/server/webhook-plugin.js";

const CONFIG = `server: { bodyLimit: 2kb, maxDepth: 8, metrics: false }
webhooks:
  - path: /hook
    platform: generic
    routes:
      - { event: hi, reply: { text: "hello {{ params.name }}" } }
      - { event: throws, handler: ./handlers.mjs#throws }
      - { event: slow, handler: ./handlers.mjs#slow, timeout: 50ms }
      - { event: circular, handler: ./handlers.mjs#circular }
      - { event: empty, handler: ./handlers.mjs#empty }
  - path: /keyed
    platform: generic
    auth: { apiKey: { value: s3cret-key } }
    routes:
      - { event: hi, reply: { text: "keyed" } }
  - path: /es
    platform: dialogflow
    routes:
      - { intent: hi, reply: { text: "es" } }
`;
const HANDLERS = `export const throws = () => { throw new Error("boom"); };
export const slow = () => new Promise((resolve) => setTimeout(() => resolve({ text: "late" }), 500));
export const circular = () => { const reply = { text: "x", native: {} }; reply.native.self = reply; return reply; };
export const empty = () => null;
`;

interface Row {
  name: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string | object;
  status: number;
  code?: string;
  expect?: unknown;
  header?: [string, string];
}

const json = { "content-type": "application/json" };
const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });

const rows: Row[] = [
  { name: "a matched static reply", url: "/hook", body: { type: "hi", params: { name: "Ana" } }, status: 200, expect: { text: "hello Ana" } },
  { name: "a handler answering null (generic: no content)", url: "/hook", body: { type: "empty" }, status: 204 },
  { name: "a +json media type", url: "/hook", headers: { "content-type": "application/vnd.bot+json; charset=utf-8" }, body: JSON.stringify({ type: "hi" }), status: 200 },
  { name: "GET on a webhook", method: "GET", url: "/hook", status: 405, code: "WHS_ERR_METHOD_NOT_ALLOWED", header: ["allow", "POST"] },
  { name: "an unknown path", url: "/nope", body: { type: "hi" }, status: 404, code: "WHS_ERR_NOT_FOUND" },
  { name: "a query string is not part of the path", url: "/hook?x=1", body: { type: "hi" }, status: 200 },
  { name: "a body that is not JSON", url: "/hook", headers: json, body: "{nope", status: 400, code: "WHS_ERR_BODY_NOT_JSON" },
  { name: "an empty JSON body", url: "/hook", headers: json, body: "", status: 400, code: "WHS_ERR_BODY_NOT_JSON" },
  { name: "a non-JSON media type", url: "/hook", headers: { "content-type": "text/plain" }, body: "hi", status: 415, code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" },
  { name: "a body over bodyLimit", url: "/hook", headers: json, body: JSON.stringify({ type: "hi", pad: "x".repeat(3000) }), status: 413, code: "WHS_ERR_BODY_TOO_LARGE" },
  { name: "a body nested past maxDepth", url: "/hook", body: { type: "hi", deep: nested(10) }, status: 400, code: "WHS_ERR_BODY_TOO_DEEP" },
  { name: "a gzip body", url: "/hook", headers: { ...json, "content-encoding": "gzip" }, body: gzipSync(JSON.stringify({ type: "hi", params: { name: "Zip" } })), status: 200, expect: { text: "hello Zip" } },
  { name: "a gzip bomb past bodyLimit", url: "/hook", headers: { ...json, "content-encoding": "gzip" }, body: gzipSync(JSON.stringify({ type: "hi", pad: " ".repeat(100_000) })), status: 413, code: "WHS_ERR_BODY_TOO_LARGE" },
  { name: "bytes that are not gzip", url: "/hook", headers: { ...json, "content-encoding": "gzip" }, body: "not gzip at all", status: 400, code: "WHS_ERR_ENCODING_INVALID" },
  { name: "an unknown content-encoding", url: "/hook", headers: { ...json, "content-encoding": "compress" }, body: "{}", status: 415, code: "WHS_ERR_ENCODING_UNSUPPORTED" },
  { name: "no route matches", url: "/hook", body: { type: "unknown" }, status: 404, code: "WHS_ERR_NO_ROUTE" },
  { name: "a handler that throws", url: "/hook", body: { type: "throws" }, status: 500, code: "WHS_ERR_HANDLER_FAILED" },
  { name: "a handler past its deadline", url: "/hook", body: { type: "slow" }, status: 504, code: "WHS_ERR_HANDLER_TIMEOUT" },
  { name: "a reply that cannot become JSON", url: "/hook", body: { type: "circular" }, status: 500, code: "WHS_ERR_HANDLER_FAILED" },
  { name: "the API key missing", url: "/keyed", body: { type: "hi" }, status: 400, code: "WHS_ERR_AUTH_MISSING" },
  { name: "a wrong API key", url: "/keyed", headers: { ...json, "api-key": "wrong" }, body: JSON.stringify({ type: "hi" }), status: 401, code: "WHS_ERR_AUTH_FAILED" },
  { name: "the right API key", url: "/keyed", headers: { ...json, "api-key": "s3cret-key" }, body: JSON.stringify({ type: "hi" }), status: 200, expect: { text: "keyed" } },
  { name: "not the platform's request shape", url: "/es", body: { session: "s" }, status: 400, code: "WHS_ERR_BODY_SHAPE" },
  { name: "the liveness probe", method: "GET", url: "/healthz", status: 200, expect: { status: "ok" } },
  { name: "the readiness probe", method: "GET", url: "/readyz", status: 200, expect: { status: "ready" } },
];

let dir = "";
let pipeline: Pipeline;
let server: HttpServer;
let port = 0;
/** A user's app: its own onRequest hook and route, the plugin under /bots. */
let userApp: FastifyInstance;
const seenByUserHook: string[] = [];
const PREFIX = "/bots";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "whs-http-"));
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  writeFileSync(join(dir, "handlers.mjs"), HANDLERS);
  pipeline = await loadPipeline(join(dir, "config.yaml"), { logger: pino({ level: "silent" }) });
  server = createHttpServer(pipeline);
  await server.fastify.listen({ host: "127.0.0.1", port: 0 });
  port = (server.fastify.server.address() as AddressInfo).port;
  userApp = Fastify();
  userApp.addHook("onRequest", async (request) => {
    seenByUserHook.push(`${request.method} ${request.url}`);
  });
  userApp.get("/status", async () => ({ mine: true }));
  await userApp.register(webhookServe, { config: join(dir, "config.yaml"), logger: pino({ level: "silent" }), prefix: PREFIX });
});

afterAll(async () => {
  await server.fastify.close();
  await userApp.close();
  rmSync(dir, { recursive: true, force: true });
});

function bytes(row: Row): Buffer | undefined {
  if (row.body === undefined) return undefined;
  if (Buffer.isBuffer(row.body)) return row.body;
  return Buffer.from(typeof row.body === "string" ? row.body : JSON.stringify(row.body));
}

function headersOf(row: Row): Record<string, string> {
  return row.headers ?? (row.body !== undefined && typeof row.body === "object" && !Buffer.isBuffer(row.body) ? json : {});
}

/** One request on a real socket, exactly these headers (and content-length for a body). */
function overSocket(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path: url, headers: { ...headers, ...(body !== undefined ? { "content-length": String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function check(row: Row, status: number, body: string, header: (name: string) => unknown): void {
  expect(status).toBe(row.status);
  if (body !== "") expect(header("content-type")).toBe("application/json; charset=utf-8");
  const parsed = body === "" ? undefined : (JSON.parse(body) as { error?: { code: string; message: string } });
  if (row.code !== undefined) {
    expect(parsed?.error?.code).toBe(row.code);
    expect(typeof parsed?.error?.message).toBe("string");
  }
  if (row.expect !== undefined) expect(parsed).toEqual(row.expect);
  if (row.header) expect(header(row.header[0])).toBe(row.header[1]);
}

describe.each([
  ["the Fastify server (inject)", "fastify"],
  ["the server on a socket", "socket"],
  ["the plugin under a prefix in a user's Fastify app", "plugin"],
  ["the in-memory carrier (serverless, send, testing)", "bytes"],
] as const)("%s", (_label, carrier) => {
  it.each(rows)("$name → $status", async (row) => {
    const method = row.method ?? "POST";
    const body = bytes(row);
    if (carrier === "fastify") {
      const res = await server.fastify.inject({ method: method as "POST", url: row.url, headers: headersOf(row), ...(body !== undefined ? { payload: body } : {}) });
      check(row, res.statusCode, res.body, (name) => res.headers[name]);
    } else if (carrier === "plugin") {
      const url = PREFIX + row.url;
      const before = seenByUserHook.length;
      const res = await userApp.inject({ method: method as "POST", url, headers: headersOf(row), ...(body !== undefined ? { payload: body } : {}) });
      check(row, res.statusCode, res.body, (name) => res.headers[name]);
      expect(seenByUserHook.slice(before)).toEqual([`${method} ${url}`]);
    } else if (carrier === "socket") {
      const res = await overSocket(method, row.url, headersOf(row), body);
      check(row, res.status, res.body, (name) => res.headers[name]);
    } else {
      const res = await handleBytes(pipeline, { method, url: row.url, headers: headersOf(row), ...(body !== undefined ? { body } : {}) });
      check(row, res.status, res.body, (name) => res.headers[name]);
    }
  });
});

describe("answers only the Fastify server gives (the in-memory carrier never sees these)", () => {
  it.each([
    { name: "a method Fastify does not route, on a webhook", method: "PROPFIND", url: "/hook", status: 405, code: "WHS_ERR_METHOD_NOT_ALLOWED" },
    { name: "a method Fastify does not route, elsewhere", method: "PROPFIND", url: "/nowhere", status: 404, code: "WHS_ERR_NOT_FOUND" },
    { name: "a malformed URL", method: "GET", url: "/%zz", status: 400, code: "WHS_ERR_BAD_REQUEST" },
  ])("$name → $status", async (row) => {
    const res = await server.fastify.inject({ method: row.method as "GET", url: row.url });
    check(row, res.statusCode, res.body, (name) => res.headers[name]);
  });

  it("the same, from the plugin under its prefix", async () => {
    const res = await userApp.inject({ method: "PROPFIND" as "GET", url: `${PREFIX}/hook` });
    check({ name: "", url: "", status: 405, code: "WHS_ERR_METHOD_NOT_ALLOWED", header: ["allow", "POST"] }, res.statusCode, res.body, (name) => res.headers[name]);
  });
});

describe("the plugin in a user's app", () => {
  it("leaves the app's own routes, parsers and 404s alone", async () => {
    const own = await userApp.inject({ method: "GET", url: "/status" });
    expect(own.json()).toEqual({ mine: true });
    // Outside the prefix the app's default 404 answers, not the error table.
    const outside = await userApp.inject({ method: "POST", url: "/hook", payload: { type: "hi" } });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ error: "Not Found", statusCode: 404 });
  });

  it("keeps the app's 404 handler when mounted without a prefix", async () => {
    const app = Fastify();
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ mine: "not found" }));
    await app.register(webhookServe, { config: join(dir, "config.yaml"), logger: pino({ level: "silent" }) });
    try {
      expect((await app.inject({ method: "POST", url: "/nope", payload: { type: "hi" } })).json()).toEqual({ mine: "not found" });
      expect((await app.inject({ method: "POST", url: "/hook", payload: { type: "hi", params: { name: "Root" } } })).json()).toEqual({ text: "hello Root" });
    } finally {
      await app.close();
    }
  });

  it("says what is missing when registered without a config", async () => {
    const app = Fastify();
    await expect(app.register(webhookServe, {}).ready()).rejects.toThrow(/give the plugin a config/);
  });
});
