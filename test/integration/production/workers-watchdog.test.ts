/**
 * `--workers` when a worker wedges: the primary replaces a worker whose event loop stopped
 * beating, SIGTERM ends within shutdownTimeout + 5 s with exit 1 when a worker cannot drain,
 * and a killed primary leaves no worker running.
 */
import { request as httpRequest } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest } from "./es-request.js";

/** Sends the request on its own connection and never waits for the answer. */
function fireAndForget(url: string, body: unknown): () => void {
  const data = JSON.stringify(body);
  const req = httpRequest(url, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } });
  req.on("error", () => {});
  req.end(data);
  return () => req.destroy();
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(esRequest("pid"));
    const req = httpRequest(`${url}/es`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), connection: "close" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(data);
  });
}

function workerPids(server: RunningServer): number[] {
  return [...server.output().matchAll(/"pid":(\d+)[^\n]*"msg":"listening on/g)].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function wedgeOne(server: RunningServer): Promise<{ pid: number; cancel: () => void }> {
  const cancel = fireAndForget(`${server.url}/es`, esRequest("spin"));
  const out = await server.waitForOutput(/spinning in \d+/, 10_000);
  return { pid: Number(/spinning in (\d+)/.exec(out)?.[1]), cancel };
}

describe("--workers watchdog", () => {
  it("a worker blocked past workerStallTimeout is killed and replaced; the others keep answering", { timeout: 60_000 }, async () => {
    const server = await spawnServer([`${FIXTURES}/wedge.yaml`, "--workers", "2"]);
    try {
      await server.waitForOutput("all 2 workers listening", 20_000);
      const { pid, cancel } = await wedgeOne(server);
      await server.waitForOutput(new RegExp(`"worker":${pid}[^\\n]*event loop is blocked; killing and replacing it`), 15_000);
      await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5000 });
      cancel();
      await server.waitForOutput("replacement worker started", 10_000);
      for (let i = 0; i < 4; i++) expect(await status(server.url)).toBe(200);
      expect(await server.stop("SIGTERM")).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  });

  it("SIGTERM with a wedged worker: the rest drain, the wedged one is killed, exit 1", { timeout: 60_000 }, async () => {
    const server = await spawnServer([`${FIXTURES}/wedge.yaml`, "--workers", "2"], { env: { STALL: "5m" } });
    try {
      await server.waitForOutput("all 2 workers listening", 20_000);
      const { pid, cancel } = await wedgeOne(server);
      expect(await server.stop("SIGTERM")).toBe(1);
      cancel();
      expect(server.output()).toMatch(/workers did not stop in time; killing them/);
      await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5000 });
      for (const worker of workerPids(server)) expect(alive(worker)).toBe(false);
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  });

  it("a primary killed with SIGKILL leaves no worker running", { timeout: 60_000 }, async () => {
    const server = await spawnServer([`${FIXTURES}/wedge.yaml`, "--workers", "2"]);
    await server.waitForOutput("all 2 workers listening", 20_000);
    await vi.waitFor(() => expect(workerPids(server)).toHaveLength(2), { timeout: 5000 });
    const pids = workerPids(server);
    await server.stop("SIGKILL");
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 10_000 });
  });
});
