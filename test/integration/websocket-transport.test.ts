/**
 * `transport: websocket` against a real server on a loopback port, with a real WebSocket client
 * (`ws`): sipgate AI Flow events as frames (the payloads in test/fixtures/payloads/aiflow), auth
 * on the upgrade, refused upgrades, bad frames, answers in arrival order, a reload between
 * frames, keepalive, the plugin under a prefix in a user's app, and the test-only form-xml
 * platform's batched framing (the seam is generic). Nothing sleeps: each step awaits a message,
 * a close or a log line. The SIGTERM drain is in websocket-shutdown.test.ts (a real process).
 */
import { once } from "node:events";
import { connect as connectTcp } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Pipeline } from "../../src/core/handle.js";
import { loadPipeline } from "../../src/core/load-pipeline.js";
import { registerPlatform } from "../../src/platforms/registry.js";
import { rebuildRuntime } from "../../src/runtime/rebuild-runtime.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";
import webhookServe from "../../src/server/webhook-plugin.js";
import { fixture } from "../platforms/golden-helpers.js";
import { formXml } from "../fixtures/platforms/form-xml-platform.js";

registerPlatform(formXml);

const TOKEN = "calls-token";
const AUTH = { "x-api-token": TOKEN };
const SESSION = "550e8400-e29b-41d4-a716-446655440000";

const config = (greeting: string) => `server: { metrics: true }
webhooks:
  - path: /calls
    platform: aiflow
    transport: websocket
    auth: { apiKey: { header: x-api-token, value: ${TOKEN} } }
    routes:
      - { event: session_start, reply: { text: "${greeting}", native: { user_input_timeout_seconds: 8 } } }
      - { event: user_speak, when: [{ key: text, equals: static }], reply: { text: "static answer" } }
      - { event: user_speak, handler: ./gate.ts, timeout: 10s }
  - path: /hooks/aiflow
    platform: aiflow
    routes:
      - { event: session_start, reply: { text: "over HTTP" } }
  - path: /sms
    platform: form-xml
    transport: websocket
    routes:
      - { event: message, reply: { text: "Weather in {{ params.city }}" } }
      - { event: status, reply: { data: { seen: true } } }
`;

// The handler waits for the test's gate, named by the caller's words (same process, same globalThis).
const GATE = `export default async function gate(turn: { text?: string }) {
  await (globalThis as { wsGate?: (name: string) => Promise<void> }).wsGate?.(String(turn.text));
  return { text: "answer to " + turn.text };
}
`;

type Gate = (name: string) => Promise<void>;
const setGate = (gate: Gate | undefined) => ((globalThis as { wsGate?: Gate }).wsGate = gate);

/** Log lines as objects, and a wait for the first one that matches. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const waiting: { test: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split("\n").filter(Boolean)) {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        for (const w of [...waiting]) {
          if (!w.test(line)) continue;
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
      }
      done();
    },
  });
  const waitFor = (test: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const found = lines.find(test);
      if (found) resolve(found);
      else waiting.push({ test, resolve });
    });
  return { logger: pino({ level: "debug" }, stream), lines, waitFor };
}

interface Client {
  ws: WebSocket;
  send(value: unknown): void;
  /** The next text frame the server sends. */
  next(): Promise<string>;
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(url: string, headers: Record<string, string> = AUTH, options: { autoPong?: boolean } = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false, ...options });
  const inbox: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  ws.on("message", (data: Buffer) => {
    const waiter = waiters.shift();
    if (waiter) waiter(data.toString());
    else inbox.push(data.toString());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  await once(ws, "open");
  return {
    ws,
    send: (value) => ws.send(typeof value === "string" || Buffer.isBuffer(value) ? value : JSON.stringify(value)),
    next: () => (inbox.length > 0 ? Promise.resolve(inbox.shift() as string) : new Promise((resolve) => waiters.push(resolve))),
    closed,
  };
}

/** An upgrade the server answers with something other than 101: its status, headers and JSON body. */
function refused(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.on("open", () => reject(new Error("the upgrade was accepted")));
    ws.on("error", reject);
    ws.on("unexpected-response", (request, response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) });
      });
    });
  });
}

const start = fixture("aiflow/session_start.request.json");
const speak = fixture("aiflow/user_speak.request.json") as { text: string; session: object };
const saying = (text: string) => ({ ...speak, text });
const speakText = (text: string) => JSON.stringify({ type: "speak", session_id: SESSION, text });

let dir = "";
let pipeline: Pipeline;
let server: HttpServer;
let base = "";
let sink: ReturnType<typeof logSink>;
let userApp: FastifyInstance;
let userBase = "";
const userHookSaw: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "whs-ws-"));
  writeFileSync(join(dir, "config.yaml"), config("Welcome! How can I help you today?"));
  writeFileSync(join(dir, "gate.ts"), GATE);
  sink = logSink();
  pipeline = await loadPipeline(join(dir, "config.yaml"), { logger: sink.logger });
  server = createHttpServer(pipeline);
  await server.fastify.listen({ host: "127.0.0.1", port: 0 });
  base = `ws://127.0.0.1:${(server.fastify.server.address() as AddressInfo).port}`;

  userApp = Fastify();
  userApp.addHook("onRequest", async (request) => void userHookSaw.push(`${request.method} ${request.url}`));
  await userApp.register(webhookServe, { config: join(dir, "config.yaml"), logger: pino({ level: "silent" }), prefix: "/bots", socketPingInterval: 40 });
  await userApp.listen({ host: "127.0.0.1", port: 0 });
  userBase = `ws://127.0.0.1:${(userApp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setGate(undefined);
  await server?.fastify.close();
  await userApp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sipgate AI Flow events over a WebSocket", () => {
  it("answers each event frame with the action as JSON text, the same as the HTTP answer's body", async () => {
    const client = await connect(`${base}/calls`);
    client.send(start);
    const frame = await client.next();
    expect(frame).toBe(JSON.stringify(fixture("aiflow/speak.response.json")));
    const http = await fetch(`${base.replace("ws:", "http:")}/calls`, { method: "POST", headers: { "content-type": "application/json", ...AUTH }, body: JSON.stringify(start) });
    expect(http.status).toBe(200);
    expect(await http.text()).toBe(frame);
    client.send(saying("static"));
    expect(await client.next()).toBe(speakText("static answer"));
    client.ws.close();
  });

  it("sends nothing for no action (session_end has no route: 204 over HTTP)", async () => {
    const client = await connect(`${base}/calls`);
    client.send({ type: "session_end", session: (start as { session: object }).session });
    client.send(saying("static"));
    // Answers keep arrival order, so the first frame back answers the second event.
    expect(await client.next()).toBe(speakText("static answer"));
    client.ws.close();
  });

  it("sends the answers of events in flight in the order they arrived", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let thirdStarted!: () => void;
    const third = new Promise<void>((resolve) => (thirdStarted = resolve));
    setGate(async (name) => {
      if (name === "first") await held;
      if (name === "third") thirdStarted();
    });
    const client = await connect(`${base}/calls`);
    client.send(saying("first"));
    client.send(saying("static"));
    client.send(saying("third"));
    // The third event's handler runs: the static answer to the second is ready, and waits for the first.
    await third;
    release();
    expect([await client.next(), await client.next(), await client.next()]).toEqual([speakText("answer to first"), speakText("static answer"), speakText("answer to third")]);
    setGate(undefined);
    client.ws.close();
  });

  it("writes an access line and counts each frame like a request", async () => {
    const client = await connect(`${base}/calls`);
    const upgrade = await sink.waitFor((line) => line.msg === "request" && line.status === 101);
    expect(upgrade).toMatchObject({ method: "GET", url: "/calls", webhook: "/calls" });
    client.send(saying("static"));
    await client.next();
    const frame = await sink.waitFor((line) => line.msg === "request" && line.method === "WS" && line.route === "event=user_speak when text=static");
    expect(frame).toMatchObject({ url: "/calls", webhook: "/calls", status: 200 });
    expect(frame.reqId).toMatch(new RegExp(`^${String(upgrade.reqId)}:\\d+$`));
    const metrics = await (await fetch(`${base.replace("ws:", "http:")}/metrics`)).text();
    expect(metrics).toMatch(/webhook_serve_requests_total\{webhook="\/calls",route="event=user_speak when text=static",status="200"\} [1-9]/);
    // The token is a secret: it is in no line.
    expect(JSON.stringify(sink.lines)).not.toContain(TOKEN);
    client.ws.close();
  });

  it("uses the runtime current when each frame arrives (a reload between two frames)", async () => {
    const client = await connect(`${base}/calls`);
    client.send(start);
    expect(JSON.parse(await client.next())).toMatchObject({ text: "Welcome! How can I help you today?" });
    writeFileSync(join(dir, "config.yaml"), config("Reloaded welcome"));
    const rebuilt = await rebuildRuntime(join(dir, "config.yaml"), { env: process.env, previous: pipeline.runtime });
    if (!rebuilt.ok) throw new Error(JSON.stringify(rebuilt.issues));
    pipeline.swap(rebuilt.runtime);
    client.send(start);
    expect(JSON.parse(await client.next())).toMatchObject({ text: "Reloaded welcome" });
    client.ws.close();
  });
});

describe("the upgrade", () => {
  it("is refused before upgrading without the api key (400) or with a wrong one (401), with the error table's JSON", async () => {
    const missing = await refused(`${base}/calls`);
    expect(missing.status).toBe(400);
    expect(missing.headers["content-type"]).toMatch(/^application\/json/);
    expect(missing.body).toEqual({ error: { code: "WHS_ERR_AUTH_MISSING", message: "Missing x-api-token header" } });
    const wrong = await refused(`${base}/calls`, { "x-api-token": "nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: "WHS_ERR_AUTH_FAILED", message: "Unauthorized" } });
  });

  it("is refused on a webhook without transport: websocket (its GET answer, 405) and on no webhook (404)", async () => {
    const http = await refused(`${base}/hooks/aiflow`);
    expect(http.status).toBe(405);
    expect(http.headers.allow).toBe("POST");
    expect(http.body).toMatchObject({ error: { code: "WHS_ERR_METHOD_NOT_ALLOWED" } });
    const none = await refused(`${base}/nowhere`, AUTH);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: { code: "WHS_ERR_NOT_FOUND" } });
  });

  it("leaves plain HTTP on the same paths as it was: POST answers, GET is 405", async () => {
    const http = base.replace("ws:", "http:");
    const post = await fetch(`${http}/hooks/aiflow`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(start) });
    expect(await post.json()).toEqual({ type: "speak", session_id: SESSION, text: "over HTTP" });
    const get = await fetch(`${http}/calls`, { headers: AUTH });
    expect(get.status).toBe(405);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });
});

/** One raw HTTP/1.1 exchange: what the server writes until it closes the connection. */
async function rawExchange(port: number, head: string): Promise<string> {
  const socket = connectTcp(port, "127.0.0.1");
  await once(socket, "connect");
  socket.write(head);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
  await once(socket, "close");
  return text;
}

describe("other upgrades on a server with a websocket webhook", () => {
  it("serve a request asking for another protocol (h2c) as plain HTTP and close; one with a body (Node took it) is 400", async () => {
    const port = (server.fastify.server.address() as AddressInfo).port;
    const get = await rawExchange(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    expect(get).toMatch(/^HTTP\/1\.1 200 /);
    expect(get).toMatch(/connection: close/i);
    expect(get).toContain('{"status":"ok"}');
    const post = await rawExchange(port, `POST /hooks/aiflow HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    expect(post).toMatch(/^HTTP\/1\.1 400 /);
    expect(post).toContain('"WHS_ERR_BAD_REQUEST"');
  });

  it("a WebSocket upgrade with two Host lines is refused with 400 before it is accepted, as a plain request is", async () => {
    const port = (server.fastify.server.address() as AddressInfo).port;
    const key = "dGhlIHNhbXBsZSBub25jZQ==";
    const head = (hosts: string) => `GET /calls HTTP/1.1\r\n${hosts}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nx-api-token: ${TOKEN}\r\n\r\n`;
    const twice = await rawExchange(port, head("Host: a\r\nHost: b\r\n"));
    expect(twice).toMatch(/^HTTP\/1\.1 400 /);
    expect(twice).toContain('"WHS_ERR_BAD_REQUEST"');
    // The same upgrade with one Host line is accepted (then closed by this raw client).
    const socket = connectTcp(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(head("Host: a\r\n"));
    const [first] = (await once(socket, "data")) as [Buffer];
    socket.destroy();
    expect(first.toString()).toMatch(/^HTTP\/1\.1 101 /);
  });

  it("a WebSocket upgrade on a path that answers GET itself (/healthz) gets that answer and its socket closed", async () => {
    const answer = await refused(`${base}/healthz`);
    expect(answer).toMatchObject({ status: 200, body: { status: "ok" } });
  });
});

describe("bad frames", () => {
  it("answer an error frame from the error table and leave the socket usable", async () => {
    const client = await connect(`${base}/calls`);
    client.send("{not json");
    expect(JSON.parse(await client.next())).toEqual({ error: { code: "WHS_ERR_BODY_NOT_JSON", message: "Request body is not valid JSON" } });
    client.send(JSON.stringify(Array.from({ length: 70 }).reduce<unknown>((inner) => ({ inner }), {})));
    expect(JSON.parse(await client.next())).toMatchObject({ error: { code: "WHS_ERR_BODY_TOO_DEEP" } });
    client.send({ type: "user_speak", text: "no session" });
    expect(JSON.parse(await client.next())).toMatchObject({ error: { code: "WHS_ERR_BODY_SHAPE", message: expect.stringContaining("session") } });
    client.ws.send(Buffer.from(JSON.stringify(start)), { binary: true });
    expect(JSON.parse(await client.next())).toEqual({ error: { code: "WHS_ERR_FRAME_NOT_TEXT", message: "WebSocket messages must be text frames holding JSON" } });
    client.send(saying("static"));
    expect(await client.next()).toBe(speakText("static answer"));
    client.ws.close();
  });

  it("over bodyLimit closes the socket with 1009 (message too big)", async () => {
    const client = await connect(`${base}/calls`);
    client.send(saying("x".repeat(1024 * 1024 + 1)));
    expect((await client.closed).code).toBe(1009);
  });
});

describe("the plugin under a prefix in a user's app", () => {
  it("takes the upgrade on /bots/calls through the app's own hooks, with the webhook's auth", async () => {
    expect((await refused(`${userBase}/bots/calls`)).status).toBe(400);
    const client = await connect(`${userBase}/bots/calls`);
    expect(userHookSaw).toContain("GET /bots/calls");
    client.send(start);
    expect(JSON.parse(await client.next())).toMatchObject({ type: "speak", session_id: SESSION });
    client.ws.close();
  });

  it("pings: a peer that answers stays connected, one that does not is closed", async () => {
    const live = await connect(`${userBase}/bots/calls`);
    for (let i = 0; i < 3; i++) await once(live.ws, "ping");
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    const dead = await connect(`${userBase}/bots/calls`, AUTH, { autoPong: false });
    expect((await dead.closed).code).toBe(1006);
    live.ws.close();
  });
});

describe("the seam is generic: the test-only form-xml platform's framing", () => {
  it("splits a batch into events, answers each in its envelope, and sends nothing for an answer without a message", async () => {
    const client = await connect(`${base}/sms`, {});
    client.send([
      { From: "+15550001111", Event: "message", Payload: { city: "Rome" } },
      { From: "+15550002222", Event: "status" },
      { From: "+15550003333", Event: "message", Payload: { city: "Oslo" } },
    ]);
    const xml = (city: string) => `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Weather in ${city}</Message></Response>`;
    expect(JSON.parse(await client.next())).toEqual({ re: "+15550001111", xml: xml("Rome") });
    expect(JSON.parse(await client.next())).toEqual({ re: "+15550003333", xml: xml("Oslo") });
    client.ws.close();
  });
});

describe("a server whose config has no websocket webhook", () => {
  it("listens for no upgrade: an upgrade is a plain GET (405)", async () => {
    const plain = await loadPipeline({ server: { metrics: false }, webhooks: [{ path: "/hooks/aiflow", platform: "aiflow", routes: [] }] }, { logger: pino({ level: "silent" }) });
    const app = createHttpServer(plain);
    await app.fastify.listen({ host: "127.0.0.1", port: 0 });
    try {
      expect(app.fastify.server.listenerCount("upgrade")).toBe(0);
      const answer = await refused(`ws://127.0.0.1:${(app.fastify.server.address() as AddressInfo).port}/hooks/aiflow`);
      expect(answer.status).toBe(405);
    } finally {
      await app.fastify.close();
    }
  });
});
