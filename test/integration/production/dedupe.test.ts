/**
 * Duplicate deliveries through real processes: the memory store in one process, and two
 * processes sharing a real redis-server on a free loopback port. The handler appends its pid
 * to a file, so the tests count runs across processes. Redis killed mid-test → still 200.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startRedis } from "../../helpers/redis-server.js";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

const CONFIG = `${FIXTURES}/dedupe.yaml`;
const dir = mkdtempSync(join(tmpdir(), "whs-dedupe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function countFile(): { path: string; runs: () => number } {
  const path = join(dir, `count-${files++}.txt`);
  writeFileSync(path, "");
  return { path, runs: () => readFileSync(path, "utf8").split("\n").filter(Boolean).length };
}

describe("dedupe with the memory store", () => {
  let server: RunningServer;
  const count = countFile();
  beforeAll(async () => {
    server = await spawnServer([CONFIG], { env: { COUNT_FILE: count.path } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("runs the handler once for simultaneous duplicates and replays the first reply later", async () => {
    const body = esRequest("counted", { delay: 200, n: 1 }, "resp-mem-1");
    const [a, b] = await Promise.all([post(`${server.url}/es`, body), post(`${server.url}/es`, body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(esText(a.body)).toBe(esText(b.body));
    const later = await post(`${server.url}/es`, body);
    expect(later.body).toEqual(a.body);
    expect(count.runs()).toBe(1);
    // Another responseId is another turn.
    await post(`${server.url}/es`, esRequest("counted", { n: 2 }, "resp-mem-2"));
    expect(count.runs()).toBe(2);
  });

  it("keys by a header when the webhook says so, and not at all with dedupe: false", async () => {
    const headers = { "x-delivery-id": "d-1" };
    const first = await post(`${server.url}/generic`, { type: "counted", params: { n: "g" } }, headers);
    const again = await post(`${server.url}/generic`, { type: "counted", params: { n: "other" } }, headers);
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const before = count.runs();
    const off = esRequest("counted", {}, "resp-off");
    await post(`${server.url}/off`, off);
    await post(`${server.url}/off`, off);
    expect(count.runs()).toBe(before + 2);
  });

  it("counts dedupe hits in /metrics", async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const hits = /^webhook_serve_dedupe_hits_total\{webhook="\/es"\} (\d+)$/m.exec(text);
    expect(Number(hits?.[1])).toBe(2);
  });
});

describe("dedupe with Redis shared by two processes", () => {
  let redis: ChildProcess | undefined;
  let port: number;
  const servers: RunningServer[] = [];
  const count = countFile();

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    const env = { COUNT_FILE: count.path, DEDUPE_STORE: `redis://127.0.0.1:${port}/0` };
    servers.push(await spawnServer([CONFIG], { env }), await spawnServer([CONFIG], { env }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (redis && redis.exitCode === null) redis.kill("SIGKILL");
  });

  it("runs the handler once when the same delivery reaches both at the same moment", async () => {
    const [a, b] = servers.map((s) => s.url);
    const body = esRequest("counted", { delay: 300, n: "r1" }, "resp-redis-1");
    const results = await Promise.all([post(`${a}/es`, body), post(`${b}/es`, body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(esText(results[0]!.body)).toBe(esText(results[1]!.body));
    expect(count.runs()).toBe(1);
    // A later retry at either instance is answered from Redis.
    const retry = await post(`${b}/es`, body);
    expect(retry.body).toEqual(results[0]!.body);
    const retryA = await post(`${a}/es`, body);
    expect(retryA.body).toEqual(results[0]!.body);
    expect(count.runs()).toBe(1);
  });

  it("answers sequential duplicates across instances from the first reply", async () => {
    const [a, b] = servers.map((s) => s.url);
    const body = esRequest("counted", { n: "r2" }, "resp-redis-2");
    const first = await post(`${a}/es`, body);
    const second = await post(`${b}/es`, body);
    expect(second.body).toEqual(first.body);
    expect(count.runs()).toBe(2);
  });

  it("keeps answering 200 without dedupe when Redis goes away, and logs it", async () => {
    redis!.kill("SIGKILL");
    await new Promise((resolve) => redis!.once("exit", resolve));
    const [a] = servers.map((s) => s.url);
    const before = count.runs();
    const body = esRequest("counted", { n: "down" }, "resp-redis-down");
    const results = [await post(`${a}/es`, body), await post(`${a}/es`, body)];
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    // Without a store each delivery runs the handler.
    expect(count.runs()).toBe(before + 2);
    // The log line is written asynchronously; give it a moment.
    await servers[0]!.waitForOutput(/dedupe store unavailable/);
    expect(servers[0]!.output()).toMatch(/dedupe store unavailable/);
    // Logged once per outage, not once per request.
    expect(servers[0]!.output().match(/dedupe store unavailable/g)?.length).toBe(1);
  });

  it("dedupes again once Redis is back on the same address", async () => {
    redis = await startRedis(port);
    const [a, b] = servers.map((s) => s.url);
    // ioredis reconnects in the background (at most a second apart).
    let i = 0;
    await vi.waitFor(
      async () => {
        const body = esRequest("counted", { n: `back-${i}` }, `resp-back-${i++}`);
        const before = count.runs();
        await post(`${a}/es`, body);
        await post(`${b}/es`, body);
        expect(count.runs()).toBe(before + 1);
      },
      { timeout: 6000, interval: 100 },
    );
    await servers[0]!.waitForOutput("dedupe store is back");
  });
});
