/**
 * `concurrency: { limit, scope: global }` across two real server processes sharing a real
 * redis-server: a call in flight on one instance takes the slot from the other; the slot is
 * free again once it ends; with Redis gone, each process falls back to its own limit and says so.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedis } from "../../helpers/redis-server.js";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

let redis: ChildProcess | undefined;
const servers: RunningServer[] = [];

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  const env = { REDIS_URL: `redis://127.0.0.1:${port}` };
  servers.push(await spawnServer([`${FIXTURES}/global-limit.yaml`], { env }), await spawnServer([`${FIXTURES}/global-limit.yaml`], { env }));
}, 30_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  redis?.kill("SIGKILL");
});

describe("concurrency scope: global", () => {
  it("counts a call in flight on one instance against the other, and frees the slot when it ends", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const first = post(`${a.url}/es`, esRequest("slow", { ms: 800 }));
    await a.waitForOutput("slow started");
    const other = await post(`${b.url}/es`, esRequest("slow", { ms: 1 }));
    expect(other.status).toBe(429);
    expect(other.body).toMatchObject({ error: { code: "WHS_ERR_TOO_MANY_REQUESTS" } });
    const done = await first;
    expect(esText(done.body)).toBe("slow done");
    expect((await post(`${b.url}/es`, esRequest("slow", { ms: 1 }))).status).toBe(200);
  });

  it("falls back to the per-process limit when Redis is gone, and logs it once", async () => {
    redis?.kill("SIGKILL");
    await new Promise((resolve) => redis?.once("exit", resolve));
    const [a, b] = servers as [RunningServer, RunningServer];
    // Each process now counts alone: one call in flight on each is allowed.
    const first = post(`${a.url}/es`, esRequest("slow", { ms: 600 }));
    await a.waitForOutput(/(slow started[\s\S]*){2}/);
    const other = await post(`${b.url}/es`, esRequest("slow", { ms: 1 }));
    expect(other.status).toBe(200);
    // The same process still holds its own limit of one.
    expect((await post(`${a.url}/es`, esRequest("slow", { ms: 1 }))).status).toBe(429);
    expect((await first).status).toBe(200);
    await a.waitForOutput("counting per process until it is back");
    expect(a.output().match(/global concurrency limits unavailable/g)?.length).toBe(1);
  });
});
