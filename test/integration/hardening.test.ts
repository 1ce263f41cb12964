/**
 * Hardening (the defects users found), through the built CLI on a real port: a `matches`
 * pattern cannot stall the process, stray rejections and a handler's thrown callbacks do not
 * kill it, unserializable replies are handler faults, deep bodies are refused, every accepted
 * basic-auth form is scrubbed from logs, Host is required once, compressed bodies are read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, runCli, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const CONFIG = "test/fixtures/hardening/config.yaml";
let server: RunningServer;

beforeAll(async () => {
  server = await spawnServer([CONFIG]);
});
afterAll(async () => {
  await server?.stop();
});

async function alive(): Promise<void> {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
}

async function metric(line: RegExp): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found = text.split("\n").find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.split(" ").pop());
}

/** Raw HTTP/1.1 bytes in, the whole answer out (the server closes after a 400). */
function rawRequest(text: string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.end(text));
    let out = "";
    socket.on("data", (chunk) => (out += chunk.toString()));
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("a matches pattern cannot stall the server", () => {
  it("^(a+)+$ against 30 a's and a ! answers at once, and the server keeps serving", async () => {
    const res = await post(`${server.url}/generic`, { type: "redos", data: { value: `${"a".repeat(30)}!` } });
    expect(res.body).toEqual({ text: "no match, at once" });
    expect((await post(`${server.url}/generic`, { type: "redos", data: { value: "aaaa" } })).body).toEqual({ text: "matched" });
    await alive();
  });

  it("(?i) patterns still match case-insensitively", async () => {
    expect((await post(`${server.url}/generic`, { type: "shout", data: { value: "HELLO abC" } })).body).toEqual({ text: "case-insensitive" });
    expect((await post(`${server.url}/generic`, { type: "shout", data: { value: "HELLO abd" } })).status).toBe(404);
  });

  it("a pattern that needs backtracking is refused at load with its line:column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-redos-"));
    const file = join(dir, "config.yaml");
    writeFileSync(file, 'webhooks:\n  - path: /g\n    platform: generic\n    routes:\n      - event: x\n        when:\n          - { key: a, matches: "(a+)\\\\1" }\n        reply: { text: hi }\n');
    const { code, stderr } = await runCli(["validate", file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/webhooks\[0\]\.routes\[0\]\.when\[0\]\.matches: .*cannot be matched in linear time.*\(line 7:/);
  });
});

describe("faults a handler leaves behind", () => {
  it("an unhandled rejection is logged with the request id and counted; the server keeps serving", async () => {
    const before = await metric(/^webhook_serve_process_faults_total\{kind="unhandled_rejection"\}/);
    const res = await post(`${server.url}/generic`, { type: "stray-rejection" });
    expect(res.body).toEqual({ text: "answered anyway" });
    const out = await server.waitForOutput("a handler left a promise rejection unhandled");
    const line = out.split("\n").find((l) => l.includes("a handler left a promise rejection unhandled")) as string;
    expect(JSON.parse(line)).toMatchObject({ level: 50, reqId: expect.stringMatching(/^req-/), route: "event=stray-rejection", err: { message: "forgot to catch this" } });
    expect(await metric(/^webhook_serve_process_faults_total\{kind="unhandled_rejection"\}/)).toBe(before + 1);
    await alive();
  });

  it("an exception thrown from a handler's timer is logged with its route; the server keeps serving", async () => {
    const res = await post(`${server.url}/generic`, { type: "callback-throws" });
    expect(res.body).toEqual({ text: "answered before the throw" });
    const out = await server.waitForOutput("a handler's callback threw");
    const line = out.split("\n").find((l) => l.includes("a handler's callback threw")) as string;
    expect(JSON.parse(line)).toMatchObject({ route: "event=callback-throws", err: { message: "thrown from a timer" } });
    expect(await metric(/^webhook_serve_process_faults_total\{kind="uncaught_exception"\}/)).toBe(1);
    await alive();
  });

  it.each(["circular", "bigint"])("a %s reply is WHS_ERR_HANDLER_FAILED, logged with the route and counted", async (kind) => {
    const route = `event=${kind}`;
    const errors = new RegExp(`^webhook_serve_handler_errors_total\\{webhook="/generic",route="${route}"\\}`);
    const before = await metric(errors);
    const res = await post(`${server.url}/generic`, { type: kind });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "WHS_ERR_HANDLER_FAILED", message: "Handler failed" } });
    await server.waitForOutput(new RegExp(`"route":"${route}".*handler reply cannot be serialized`));
    await expect.poll(() => metric(errors)).toBe(before + 1);
  });
});

describe("bodies a client can send never get a 5xx", () => {
  const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  it("a 10,000-level body answers 400 WHS_ERR_BODY_TOO_DEEP before the template runs", async () => {
    const res = await post(`${server.url}/generic`, `{"type":"deep","data":${nested(10_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: "WHS_ERR_BODY_TOO_DEEP", message: "Request body is nested deeper than 32 levels" } });
    await alive();
  });

  it("a body within server.maxDepth is rendered", async () => {
    const res = await post(`${server.url}/generic`, `{"type":"deep","data":${nested(30)}}`);
    expect(res.status).toBe(200);
    expect((res.body as { text: string }).text).toContain('{"a":{"a":');
  });

  it("no Host header: 400 with the JSON error body", async () => {
    const out = await rawRequest("POST /generic HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toContain('{"error":{"code":"WHS_ERR_BAD_REQUEST","message":"Malformed HTTP request"}}');
  });

  it("headers over 16 KB: 431 with the JSON error body", async () => {
    const out = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(20_000)}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 431 /);
    expect(out).toContain("WHS_ERR_HEADERS_TOO_LARGE");
    await alive();
  });

  it("an HTTP/1.0 request may omit Host (probes and old tools send those)", async () => {
    const out = await rawRequest("GET /healthz HTTP/1.0\r\n\r\n");
    expect(out).toMatch(/^HTTP\/1\.[01] 200 /);
  });

  it("two Host lines: 400 (RFC 9112 §3.2)", async () => {
    const out = await rawRequest("POST /generic?two-hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"type\":\"redos\"}\n");
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toContain("WHS_ERR_BAD_REQUEST");
    expect(out).toMatch(/content-type: application\/json/i);
    // Answered before Fastify sees it, and still logged.
    await server.waitForOutput(/"url":"\/generic\?two-hosts","ip":"[^"]+","status":400,"ms":0,"msg":"request"/);
  });
});

describe("secrets in every form the server accepts", () => {
  it("an unpadded basic-auth token is accepted and never reaches a log line", async () => {
    const padded = Buffer.from("bot:s3cret-pass1").toString("base64");
    expect(padded.endsWith("=")).toBe(true);
    const unpadded = padded.replace(/=+$/, "");
    const res = await post(`${server.url}/basic`, { type: "headers" }, { authorization: `Basic ${unpadded}` });
    expect(res.body).toEqual({ text: "logged" });
    const out = await server.waitForOutput("headers as the handler sees them");
    expect(out).not.toContain(unpadded);
    expect(out).toContain("[redacted]");
  });
});

describe("compressed bodies (Content-Encoding)", () => {
  const body = Buffer.from(JSON.stringify({ type: "redos", data: { value: "aaa" } }));
  const send = (bytes: Buffer, encoding: string) =>
    fetch(`${server.url}/generic`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": encoding }, body: bytes });

  it.each([
    ["gzip", gzipSync(body)],
    ["deflate", deflateSync(body)],
    ["br", brotliCompressSync(body)],
    ["identity", body],
  ] as const)("%s is inflated and routed", async (encoding, bytes) => {
    const res = await send(bytes, encoding);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: "matched" });
  });

  it("a gzip bomb stops at bodyLimit: 413", async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"type":"redos","pad":"'), Buffer.alloc(20 * 1024 * 1024, 97), Buffer.from('"}')]));
    expect(bomb.length).toBeLessThan(100_000);
    const res = await send(bomb, "gzip");
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "WHS_ERR_BODY_TOO_LARGE" } });
    await alive();
  });

  it("an unknown encoding answers 415, bytes that do not inflate 400", async () => {
    const unknown = await send(body, "zstd");
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ error: { code: "WHS_ERR_ENCODING_UNSUPPORTED" } });
    const broken = await send(Buffer.from("not gzip at all"), "gzip");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: "WHS_ERR_ENCODING_INVALID", message: "Request body is not valid gzip data" } });
  });
});

describe("config problems", () => {
  it("a bad standard-webhooks secret is listed with its path and line:column beside the others, never printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-whsec-"));
    const file = join(dir, "config.yaml");
    writeFileSync(
      file,
      "webhooks:\n  - path: /g\n    platform: generic\n    auth:\n      signature: { scheme: standard-webhooks, secret: \"whsec_!!not-base64!!\" }\n    routes:\n      - event: x\n        reply: { text: hi }\n  - path: /g\n    platform: generic\n",
    );
    const { code, stderr } = await runCli(["validate", file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/webhooks\[0\]\.auth\.signature\.secret: .*whsec_ followed by base64 \(line 5:/);
    expect(stderr).toMatch(/webhooks\[1\]\.path: duplicate path "\/g" .*\(line 9:/);
    expect(stderr).not.toContain("!!not-base64!!");
  });
});
