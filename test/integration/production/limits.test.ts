/**
 * HTTP-layer limits and proxies: a client that sends headers and never finishes its body is
 * cut off after `server.requestTimeout` (real process, raw socket); `server.trustProxy` makes
 * `request.ip` the X-Forwarded-For client; `/readyz` answers 503 while a drain runs and the
 * in-flight request still completes; past `server.shutdownTimeout` the process exits 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { installShutdown } from "../../../src/server/graceful-shutdown.js";
import { loadHttpServer } from "../../../src/server/create-server.js";
import { spawnServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

const silent = pino({ level: "silent" });

describe("server.requestTimeout", () => {
  it("cuts off a client that never finishes sending its body", async () => {
    const server = await spawnServer([`${FIXTURES}/limits.yaml`]);
    try {
      const { port } = new URL(server.url);
      const started = Date.now();
      const answer = await new Promise<{ text: string; ms: number }>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write("POST /es HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
        });
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
        socket.on("close", () => resolve({ text, ms: Date.now() - started }));
        socket.on("error", reject);
        setTimeout(() => reject(new Error("connection still open after 5 s")), 5000).unref();
      });
      expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer.text).toContain('{"error":{"code":"WHS_ERR_REQUEST_TIMEOUT"');
      expect(answer.ms).toBeGreaterThanOrEqual(450);
      expect(answer.ms).toBeLessThan(3000);
      // The server is unharmed.
      const ok = await fetch(`${server.url}/es`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(esRequest("pid")) });
      expect(ok.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe("server.shutdownTimeout", () => {
  it("exits 1 with a log line when a request is still open when it runs out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-shutdown-"));
    const config = join(dir, "config.yaml");
    writeFileSync(config, "server:\n  requestTimeout: 30s\n  shutdownTimeout: 300ms\nwebhooks:\n  - path: /hook\n    platform: generic\n    routes:\n      - event: hi\n        reply: { text: hi }\n");
    const server = await spawnServer([config]);
    const { port } = new URL(server.url);
    // A request whose body never finishes keeps the drain from completing.
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    // Expect: 100-continue: the server says "100 Continue" once it has taken the request.
    const taken = new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write("POST /hook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n{");
    socket.on("error", () => undefined);
    await taken;
    const started = Date.now();
    try {
      expect(await server.stop("SIGTERM")).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.output()).toContain("shutdown timed out");
    } finally {
      socket.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("answers Fastify would give in its own format", () => {
  it("uses the error table for unknown methods, unknown paths and malformed URLs", async () => {
    const app = await loadHttpServer(`${FIXTURES}/production.yaml`, { logger: silent });
    try {
      const propfind = await app.fastify.inject({ method: "PROPFIND" as "GET", url: "/es" }) // light-my-request 6.6 types omit WebDAV methods;
      expect(propfind.statusCode).toBe(405);
      expect(propfind.headers.allow).toBe("POST");
      expect(propfind.json()).toMatchObject({ error: { code: "WHS_ERR_METHOD_NOT_ALLOWED" } });
      const elsewhere = await app.fastify.inject({ method: "PROPFIND" as "GET", url: "/nowhere" });
      expect(elsewhere.statusCode).toBe(404);
      expect(elsewhere.json()).toMatchObject({ error: { code: "WHS_ERR_NOT_FOUND" } });
      const badUrl = await app.fastify.inject({ method: "GET", url: "/%zz" });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json()).toMatchObject({ error: { code: "WHS_ERR_BAD_REQUEST" } });
    } finally {
      await app.fastify.close();
    }
  });
});

describe("server.trustProxy", () => {
  async function seen(trustProxy: boolean | number, headers: Record<string, string>): Promise<{ ip: string; id: string }> {
    const app = await loadHttpServer(
      { server: { trustProxy, logLevel: "silent" }, webhooks: [{ path: "/es", platform: "dialogflow", routes: [{ intent: "x", reply: { text: "ok" } }] }] },
      { logger: silent },
    );
    const found = { ip: "", id: "" };
    app.fastify.addHook("onRequest", async (request) => {
      found.ip = request.ip;
      found.id = String(request.id);
    });
    await app.fastify.inject({ method: "GET", url: "/healthz", remoteAddress: "10.0.0.2", headers });
    await app.fastify.close();
    return found;
  }

  it("uses X-Forwarded-For behind a trusted proxy, the socket address otherwise", async () => {
    expect((await seen(true, { "x-forwarded-for": "203.0.113.7" })).ip).toBe("203.0.113.7");
    expect((await seen(false, { "x-forwarded-for": "203.0.113.7" })).ip).toBe("10.0.0.2");
  });

  it("with a hop count, trusts that many proxies from the nearest", async () => {
    // Client 203.0.113.7 → proxy 198.51.100.1 → load balancer 10.0.0.2 → us.
    const chain = { "x-forwarded-for": "203.0.113.7, 198.51.100.1" };
    expect((await seen(1, chain)).ip).toBe("198.51.100.1");
    expect((await seen(2, chain)).ip).toBe("203.0.113.7");
  });

  it("keeps the proxy's X-Request-Id only behind a trusted proxy", async () => {
    expect((await seen(true, { "x-request-id": "lb-42" })).id).toBe("lb-42");
    expect((await seen(false, { "x-request-id": "lb-42" })).id).not.toBe("lb-42");
    // Not a plain short id: ours instead (no log lines forged through the header).
    expect((await seen(true, { "x-request-id": `${"x".repeat(200)}` })).id).toMatch(/^req-/);
    expect((await seen(true, { "x-request-id": 'a"b\nc' })).id).toMatch(/^req-/);
  });
});

describe("/readyz during a drain", () => {
  it("answers 503 while the in-flight request finishes, then exits 0", async () => {
    const app = await loadHttpServer(`${FIXTURES}/production.yaml`, { logger: silent });
    const codes: number[] = [];
    const sigterm = process.listeners("SIGTERM");
    const sigint = process.listeners("SIGINT");
    const shutdown = installShutdown(app, silent, { timeout: 5000, exit: (code) => void codes.push(code) });
    try {
      await app.fastify.listen({ port: 0, host: "127.0.0.1" });
      const { port } = app.fastify.server.address() as { port: number };
      expect((await app.fastify.inject({ url: "/readyz" })).statusCode).toBe(200);
      // The listener closed (after the drain delay): a webhook request that still gets in on an
      // open connection is refused with our error body and the connection closed; /healthz stays 200.
      app.pipeline.state.draining = true;
      app.pipeline.state.closed = true;
      const late = await app.fastify.inject({ method: "POST", url: "/es", payload: esRequest("slow", { ms: 1 }) });
      expect(late.statusCode).toBe(503);
      expect(late.json()).toMatchObject({ error: { code: "WHS_ERR_UNAVAILABLE" } });
      expect(late.headers.connection).toBe("close");
      expect((await app.fastify.inject({ url: "/healthz" })).statusCode).toBe(200);
      app.pipeline.state.draining = false;
      app.pipeline.state.closed = false;
      const slow = fetch(`http://127.0.0.1:${port}/es`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(esRequest("slow", { ms: 400 })) });
      // In flight once its handler runs: the route's slot is taken.
      const slowRoute = app.pipeline.runtime.webhooks.get("/es")?.routes.find((route) => route.label === "intent=slow");
      expect(slowRoute).toBeDefined();
      await vi.waitFor(() => expect(slowRoute?.slots.inFlight).toBe(1), { timeout: 5000, interval: 5 });
      const closing = shutdown();
      const ready = await app.fastify.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "draining" });
      const res = await slow;
      expect(res.status).toBe(200);
      expect(esText(await res.json())).toBe("slow done");
      await closing;
      expect(codes).toEqual([0]);
    } finally {
      // Leave the test process's own signal handlers as they were.
      for (const l of process.listeners("SIGTERM")) if (!sigterm.includes(l)) process.off("SIGTERM", l);
      for (const l of process.listeners("SIGINT")) if (!sigint.includes(l)) process.off("SIGINT", l);
    }
  });
});
