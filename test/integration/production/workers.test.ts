/**
 * `--workers 2`: two processes answer on one port; a worker killed with SIGKILL is replaced
 * (and logged) while requests keep working; metrics are summed across workers; SIGTERM on
 * the primary drains every worker and exits 0.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { spawnServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

/** One request on a fresh connection, so the cluster can hand it to any worker. */
function freshPost(url: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(url, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), connection: "close" } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error("no answer within 5 s")));
    req.end(data);
  });
}

async function pidsAnswering(url: string, want: number, tries = 60): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries && pids.size < want; i++) {
    const res = await freshPost(`${url}/es`, esRequest("pid"));
    expect(res.status).toBe(200);
    pids.add(Number(/pid:(\d+)/.exec(esText(JSON.parse(res.text)) ?? "")?.[1]));
  }
  return pids;
}

describe("--workers 2", () => {
  it("answers from two pids, replaces a killed worker, sums metrics, drains on SIGTERM", { timeout: 60_000 }, async () => {
    const server = await spawnServer([`${FIXTURES}/production.yaml`, "--workers", "2"]);
    try {
      expect(server.output()).toMatch(/started 2 workers/);
      // The listening line comes from the first worker; wait for the second.
      await server.waitForOutput(/all 2 workers listening/, 10_000);
      expect(server.output()).toMatch(/all 2 workers listening/);
      const pids = await pidsAnswering(server.url, 2);
      expect(pids.size).toBe(2);
      expect(pids.has(server.child.pid!)).toBe(false);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const served = /^webhook_serve_requests_total\{webhook="\/es",route="intent=pid",status="200"\} (\d+)$/m.exec(metrics);
      // Both workers' counts, whichever worker took the scrape.
      expect(Number(served?.[1])).toBeGreaterThanOrEqual(2);
      const victim = [...pids][0]!;
      process.kill(victim, "SIGKILL");
      // Once the primary saw the exit, requests go to the live worker while the replacement starts.
      // (A connection the primary hands over in the very instant a worker dies is lost with it:
      // node:cluster limitation; the client's timeout and the platform's retry cover it.)
      await server.waitForOutput(/worker exited; starting a replacement/);
      expect(server.output()).toMatch(/worker exited; starting a replacement/);
      for (let i = 0; i < 5; i++) expect((await freshPost(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
      await server.waitForOutput(/replacement worker started/);
      expect(server.output()).toMatch(/replacement worker started/);
      // The replacement prints its own listening line (the third one).
      const listening = () => server.output().match(/"msg":"listening on/g)?.length ?? 0;
      await vi.waitFor(() => expect(listening()).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 50 });
      expect(listening()).toBe(3);
      const after = await pidsAnswering(server.url, 2);
      expect(after.size).toBe(2);
      expect(after.has(victim)).toBe(false);
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(server.output()).toMatch(/all workers stopped/);
      for (const pid of after) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      // SIGTERM: the primary takes its workers down with it (SIGKILL would orphan them).
      if (server.child.exitCode === null) await server.stop("SIGTERM");
    }
  });
});

describe("--workers 2 reload", () => {
  it("a reload (SIGHUP on the primary) reaches every worker", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-workers-"));
    cpSync(FIXTURES, dir, { recursive: true });
    const config = join(dir, "production.yaml");
    const original = readFileSync(config, "utf8");
    const withHello = (text: string) => original.replace("    routes:\n", `    routes:\n      - intent: hello\n        reply: { text: "${text}" }\n`);
    writeFileSync(config, withHello("v1"));
    const server = await spawnServer([config, "--workers", "2"]);
    try {
      await server.waitForOutput("all 2 workers listening", 20_000);
      const texts = async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 8; i++) seen.add(esText(JSON.parse((await freshPost(`${server.url}/es`, esRequest("hello"))).text)) ?? "");
        return seen;
      };
      expect(await texts()).toEqual(new Set(["v1"]));
      writeFileSync(config, withHello("v2"));
      server.child.kill("SIGHUP");
      await server.waitForOutput(/reloaded in[\s\S]*reloaded in/, 20_000);
      // Round-robin spreads these over both workers; none still answers v1.
      expect(await texts()).toEqual(new Set(["v2"]));
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^webhook_serve_reloads_total\{result="ok"\} 2$/m);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with --watch, a saved config reaches every worker (each watches and swaps)", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-workers-watch-"));
    cpSync(FIXTURES, dir, { recursive: true });
    const config = join(dir, "production.yaml");
    const original = readFileSync(config, "utf8");
    const withHello = (text: string) => original.replace("    routes:\n", `    routes:\n      - intent: hello\n        reply: { text: "${text}" }\n`);
    writeFileSync(config, withHello("w1"));
    const server = await spawnServer([config, "--workers", "2", "--watch"]);
    try {
      await server.waitForOutput("all 2 workers listening", 20_000);
      await server.waitForOutput(/watching[\s\S]*watching/, 20_000);
      // Fresh connections are spread over both workers (round-robin): every answer must agree.
      const answers = async () => {
        const texts = new Set<string>();
        for (let i = 0; i < 10; i++) texts.add(esText(JSON.parse((await freshPost(`${server.url}/es`, esRequest("hello"))).text)) ?? "");
        return texts;
      };
      expect(await answers()).toEqual(new Set(["w1"]));
      expect((await pidsAnswering(server.url, 2)).size).toBe(2);
      writeFileSync(config, withHello("w2"));
      await server.waitForOutput(/reloaded in[\s\S]*reloaded in/, 20_000);
      expect(await answers()).toEqual(new Set(["w2"]));
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^webhook_serve_reloads_total\{result="ok"\} 2$/m);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps serving when a replacement cannot start (config broken since), and retries it", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-workers-broken-"));
    cpSync(FIXTURES, dir, { recursive: true });
    const config = join(dir, "production.yaml");
    const original = readFileSync(config, "utf8");
    const server = await spawnServer([config, "--workers", "2"]);
    try {
      await server.waitForOutput("all 2 workers listening", 20_000);
      const [victim] = await pidsAnswering(server.url, 2);
      writeFileSync(config, `${original}bogus: true\n`);
      process.kill(victim!, "SIGKILL");
      await server.waitForOutput("replacement worker failed to start; retrying", 20_000);
      expect(server.child.exitCode).toBeNull();
      // The surviving worker answers meanwhile.
      for (let i = 0; i < 4; i++) expect((await freshPost(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
      writeFileSync(config, original);
      // The next retry (2–4 s later) starts a worker that listens: two pids answer again.
      await vi.waitFor(async () => expect((await pidsAnswering(server.url, 2, 10)).size).toBe(2), { timeout: 20_000, interval: 250 });
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
