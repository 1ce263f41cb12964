/**
 * The drain delay through the real CLI, off a terminal (`server.drainDelay: auto` → 5 s): after
 * SIGTERM /readyz answers 503 while webhooks are still answered, every answer says
 * `Connection: close` (also one that was in flight at the signal) and its connection closes;
 * then the listener closes, and the process exits 0 once the last request ended.
 */
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { spawnServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

interface KeepAliveAnswer {
  status: number;
  connection: string | undefined;
  text: string;
  /** Resolves when the client's socket closes. */
  socketClosed: Promise<void>;
}

/** A POST through a keep-alive agent: the client keeps the connection unless told to close it. */
function keepAlivePost(agent: Agent, url: string, body: unknown): Promise<KeepAliveAnswer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      const socketClosed = new Promise<void>((closed) => (res.socket.destroyed ? closed() : res.socket.once("close", () => closed())));
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text, socketClosed }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

/** Resolves with the error code of a fresh TCP connection (or "connected"). */
function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe("drain delay (server.drainDelay)", () => {
  it("answers /readyz 503 and still serves webhooks with Connection: close, then closes the listener", async () => {
    const server = await spawnServer([`${FIXTURES}/production.yaml`], { drainDelay: "config" });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const inFlightAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Before the signal a keep-alive client keeps its connection.
      const before = await keepAlivePost(agent, `${server.url}/es`, esRequest("pid"));
      expect(before.status).toBe(200);
      expect(before.connection).toBe("keep-alive");
      // A request in flight at the signal, answered during the delay.
      const inFlight = keepAlivePost(inFlightAgent, `${server.url}/es`, esRequest("slow", { ms: 1500 }));
      await server.waitForOutput("slow started");
      const exited = server.stop("SIGTERM");
      // Off a terminal, auto is 5 s.
      await server.waitForOutput(/"drainDelay":5000,.*still accepting requests/);

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "draining" });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      // The same keep-alive client: answered, told to close, and its connection closed.
      const during = await keepAlivePost(agent, `${server.url}/es`, esRequest("pid"));
      expect(during.status).toBe(200);
      expect(during.connection).toBe("close");
      await during.socketClosed;

      const slow = await inFlight;
      expect(slow.status).toBe(200);
      expect(esText(JSON.parse(slow.text))).toBe("slow done");
      expect(slow.connection).toBe("close");
      await slow.socketClosed;
      // Still within the delay: the process has not begun to close.
      expect(server.output()).not.toMatch(/finishing in-flight requests/);

      // After the delay the listener closes: new connections are refused.
      await server.waitForOutput("finishing in-flight requests", 10_000);
      await vi.waitFor(async () => expect(await tryConnect(server.url)).toBe("ECONNREFUSED"), { timeout: 3000, interval: 20 });
      expect(await exited).toBe(0);
    } finally {
      agent.destroy();
      inFlightAgent.destroy();
      await server.stop();
    }
  });
});
