/**
 * The listening server, on a real socket: webhook POSTs are Fastify routes like every other
 * URL, so the user's hooks see them, and they get the access line's client address and request
 * id as `trustProxy` says, metrics, the live inspector's record, chunked bodies held to
 * bodyLimit, signatures over the bytes as sent. Its answers themselves are in
 * http-behaviour.test.ts's table.
 */
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createInspector } from "../../src/inspect/inspector.js";
import { loadPipeline } from "../../src/core/load-pipeline.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";

const WEBHOOK = { path: "/g", platform: "generic", routes: [{ event: "hi", reply: { text: "hello" } }] };
const HI = JSON.stringify({ type: "hi" });

let open: HttpServer | undefined;
afterEach(async () => {
  await open?.fastify.close();
  open = undefined;
});

/** A server on 127.0.0.1 whose log lines (level info) land in `lines`. */
async function listening(server: Record<string, unknown>, inspect = false, seen?: string[]) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const pipeline = await loadPipeline({ server: { logLevel: "info", ...server }, webhooks: [WEBHOOK] }, { logger });
  const store = createInspector({ secrets: () => [] });
  open = createHttpServer(pipeline, inspect ? { inspector: { store } } : {});
  if (seen !== undefined) {
    open.fastify.addHook("onRequest", async (request) => {
      seen.push(`${request.method} ${request.url}`);
    });
  }
  await open.fastify.listen({ host: "127.0.0.1", port: 0 });
  const { port } = open.fastify.server.address() as AddressInfo;
  const access = () => lines.filter((line) => line.msg === "request");
  return { port, lines, access };
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: body === undefined ? headers : { "content-type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the server on a socket", () => {
  it("runs the user's hooks on webhook POSTs as on every other request", async () => {
    const seen: string[] = [];
    const { port } = await listening({}, false, seen);
    expect((await send(port, "POST", "/g", {}, HI)).status).toBe(200);
    expect((await send(port, "POST", "/g?x=1", {}, HI)).status).toBe(200);
    expect((await send(port, "GET", "/g")).status).toBe(405);
    expect((await send(port, "POST", "/elsewhere", {}, HI)).status).toBe(404);
    expect((await send(port, "GET", "/healthz")).status).toBe(200);
    expect(seen).toEqual(["POST /g", "POST /g?x=1", "GET /g", "POST /elsewhere", "GET /healthz"]);
  });

  it.each([
    { trustProxy: false, ip: "127.0.0.1", proxyId: false },
    { trustProxy: true, ip: "203.0.113.7", proxyId: true },
    { trustProxy: 1, ip: "198.51.100.1", proxyId: true },
    { trustProxy: "127.0.0.1", ip: "198.51.100.1", proxyId: true },
  ])("trustProxy $trustProxy: the access line's ip is $ip, as Fastify's request.ip", async ({ trustProxy, ip, proxyId }) => {
    const { port, access } = await listening({ trustProxy });
    const headers = { "x-forwarded-for": "203.0.113.7, 198.51.100.1", "x-request-id": "lb-42" };
    await send(port, "POST", "/g", headers, HI);
    await send(port, "GET", "/healthz-not", headers);
    const [webhook, unknown] = access();
    expect(webhook).toMatchObject({ url: "/g", status: 200, webhook: "/g", route: "event=hi" });
    expect(unknown).toMatchObject({ url: "/healthz-not", status: 404 });
    expect(String(webhook!.ip).replace(/^::ffff:/, "")).toBe(ip);
    expect(webhook!.ip).toBe(unknown!.ip);
    if (proxyId) expect(webhook!.reqId).toBe("lb-42");
    else expect([webhook!.reqId, unknown!.reqId].every((id) => /^req-/.test(String(id)))).toBe(true);
  });

  it("counts its answers in /metrics, by webhook, route and status", async () => {
    const { port } = await listening({ metrics: true });
    await send(port, "POST", "/g", {}, HI);
    await send(port, "POST", "/g", {}, HI);
    await send(port, "POST", "/g", {}, JSON.stringify({ type: "nope" }));
    const text = (await send(port, "GET", "/metrics")).body;
    expect(text).toMatch(/webhook_serve_requests_total\{webhook="\/g",route="event=hi",status="200"\} 2/);
    expect(text).toMatch(/webhook_serve_requests_total\{webhook="\/g",route="",status="404"\} 1/);
  });

  it("records its turns for the live inspector", async () => {
    const { port } = await listening({}, true);
    await send(port, "POST", "/g", {}, HI);
    const { turns } = JSON.parse((await send(port, "GET", "/_inspect/api/turns")).body) as { turns: { path: string; status: number; route: string }[] };
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ path: "/g", status: 200, route: "event=hi" });
  });

  it("assembles a chunked body from its chunks, and holds one without a length to bodyLimit as it streams", async () => {
    const { port } = await listening({ bodyLimit: 200 });
    /** A raw chunked POST, each part written on its own as one chunk; the server closes after answering. */
    const chunked = async (parts: string[]) => {
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      let raw = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (raw += chunk));
      // "close", not "end": a server that answers before the body is whole may reset the socket.
      socket.on("error", () => {});
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.write("POST /g HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n");
      for (const part of parts) socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
      socket.write("0\r\n\r\n");
      await closed;
      const [head = "", body = ""] = raw.split("\r\n\r\n");
      return { status: Number(head.split(" ")[1]), body };
    };
    expect(await chunked(['{"ty', 'pe":"h', 'i"}'])).toEqual({ status: 200, body: JSON.stringify({ text: "hello" }) });
    const tooLong = await chunked(['{"type":"hi","pad":"', "x".repeat(150), "x".repeat(150), '"}']);
    expect(tooLong.status).toBe(413);
    expect(JSON.parse(tooLong.body)).toMatchObject({ error: { code: "WHS_ERR_BODY_TOO_LARGE" } });
  });

  it("checks a signature over the bytes as sent, whether they came in one chunk or several", async () => {
    const secret = "socket-path-secret";
    const pipeline = await loadPipeline({ server: { logLevel: "warn" }, webhooks: [{ ...WEBHOOK, auth: { signature: { secret } } }] }, { logger: pino({ level: "silent" }) });
    open = createHttpServer(pipeline, {});
    await open.fastify.listen({ host: "127.0.0.1", port: 0 });
    const { port } = open.fastify.server.address() as AddressInfo;
    const body = JSON.stringify({ type: "hi", pad: "é".repeat(40) });
    const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    /** One keep-alive connection; a POST in several pieces is sent chunked, so each piece is a chunk of its own. */
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    let raw = "";
    socket.setEncoding("utf8");
    const answered = (count: number) =>
      new Promise<string[]>((resolve) => {
        const check = () => {
          const answers = raw.split("HTTP/1.1 ").slice(1);
          if (answers.length === count && answers.every((a) => a.trimEnd().endsWith("}"))) resolve(answers);
          else socket.once("data", (chunk: string) => ((raw += chunk), check()));
        };
        check();
      });
    const post = (sig: string, parts: number) => {
      const bytes = Buffer.from(body);
      const head = `POST /g HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-hub-signature-256: ${sig}\r\n`;
      if (parts === 1) return socket.write(`${head}content-length: ${bytes.length}\r\n\r\n${body}`);
      socket.write(`${head}transfer-encoding: chunked\r\n\r\n`);
      const size = Math.ceil(bytes.length / parts);
      for (let at = 0; at < bytes.length; at += size) {
        const piece = bytes.subarray(at, at + size);
        socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]));
      }
      return socket.write("0\r\n\r\n");
    };
    await post(signature, 1);
    await post(signature, 3);
    await post(signature.replace(/.$/, (c) => (c === "0" ? "1" : "0")), 1);
    const answers = await answered(3);
    socket.destroy();
    expect(answers.map((a) => Number(a.slice(0, 3)))).toEqual([200, 200, 401]);
  });

  it("a client that leaves mid-body costs nothing: the server keeps answering", async () => {
    const { port, lines } = await listening({});
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(`POST /g HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"type":`);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.destroy();
    await closed;
    expect((await send(port, "POST", "/g", {}, HI)).body).toBe(JSON.stringify({ text: "hello" }));
    expect(lines.filter((line) => line.msg === "unexpected error")).toEqual([]);
  });
});
