/**
 * `scope: global` counts exactly, through real CLI processes and a real redis-server: the count
 * is keyed by the route's identity (not its position) and namespaced per application; a lease
 * whose acquire timed out during a Redis stall (SIGSTOP) is given back once Redis answers
 * (SIGCONT); a call running past its deadline keeps its lease by renewing it.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedis } from "../../helpers/redis-server.js";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

let redis: ChildProcess | undefined;
let redisUrl: string;
let redisPort: number;
const started: RunningServer[] = [];

/** Each describe counts in its own Redis database, so calls left running by one never fill another's slots. */
async function serve(config: string, db: number, extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await spawnServer([`${FIXTURES}/${config}`], { env: { REDIS_URL: `${redisUrl}/${db}`, ...extra } });
  started.push(server);
  return server;
}

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  redisUrl = `redis://127.0.0.1:${redisPort}`;
}, 30_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
  redis?.kill("SIGCONT");
  redis?.kill("SIGKILL");
});

describe("the key of a global count", () => {
  let release1: RunningServer;
  let release2: RunningServer;
  let otherApp: RunningServer;
  beforeAll(async () => {
    [release1, release2, otherApp] = await Promise.all([serve("limit-release-1.yaml", 1), serve("limit-release-2.yaml", 1), serve("limit-other-app.yaml", 1)]);
  });

  it("is the route's match, not its position: two config releases count together", async () => {
    const first = post(`${release1.url}/es`, esRequest("slow", { ms: 60_000, n: "r1" }));
    await release1.waitForOutput('"n":"r1"');
    // Release 2 has a route above `slow`: with keys by position it counted apart and answered 200.
    const other = await post(`${release2.url}/es`, esRequest("slow", { ms: 1 }));
    expect(other.status).toBe(429);
    // Another application's prefix: its own count.
    const elsewhere = await post(`${otherApp.url}/es`, esRequest("slow", { ms: 1 }));
    expect(esText(elsewhere.body)).toBe("slow done");
    void first.catch(() => {});
  });

  it("is concurrency.key when given: routes renamed between releases share it", async () => {
    const first = post(`${release1.url}/es`, esRequest("reserve", { ms: 60_000, n: "reserve" }));
    await release1.waitForOutput('"n":"reserve"');
    const renamed = await post(`${release2.url}/es`, esRequest("book", { ms: 1 }));
    expect(renamed.status).toBe(429);
    expect(renamed.body).toMatchObject({ error: { code: "WHS_ERR_TOO_MANY_REQUESTS" } });
    void first.catch(() => {});
  });
});

describe("a Redis stall", () => {
  it("gives back the lease an acquire that timed out took once Redis runs again", async () => {
    // A long lease: without the give-back, the slot would stay taken for 60 s after the stall.
    const server = await serve("limit-release-1.yaml", 2, { LEASE_TTL: "60s" });
    // Connected and counting before the stall.
    expect((await post(`${server.url}/es`, esRequest("slow", { ms: 1 }))).status).toBe(200);
    redis!.kill("SIGSTOP");
    try {
      // The acquire times out (500 ms) and the call is counted in this process instead.
      const during = await post(`${server.url}/es`, esRequest("slow", { ms: 1 }));
      expect(esText(during.body)).toBe("slow done");
      await server.waitForOutput("counting per process until it is back");
    } finally {
      redis!.kill("SIGCONT");
    }
    // Redis now runs the late acquire, then the give-back queued behind it on the same connection.
    const after = await post(`${server.url}/es`, esRequest("slow", { ms: 1 }));
    expect(after.status).toBe(200);
    await server.waitForOutput("global concurrency limits are back");
  });
});

describe("a call past its deadline", () => {
  it("keeps its slot while it runs: its lease is renewed", async () => {
    const [a, b] = await Promise.all([serve("limit-release-1.yaml", 3, { LEASE_TTL: "300ms" }), serve("limit-release-1.yaml", 3, { LEASE_TTL: "300ms" })]);
    // The handler ignores its abort signal: it runs on for 60 s after its 100 ms deadline.
    const late = await post(`${a.url}/es`, esRequest("stubborn", { ms: 60_000 }));
    expect(late.body).toMatchObject({ error: { code: "WHS_ERR_HANDLER_TIMEOUT" } });
    // Four renewals, every 100 ms: the first lease (300 ms) would have expired by now.
    await a.waitForOutput(/(global concurrency lease renewed[\s\S]*){4}/);
    const second = await post(`${b.url}/es`, esRequest("stubborn", { ms: 1 }));
    expect(second.status).toBe(429);
  });
});

// Last: it restarts the shared redis-server.
describe("a Redis restarted empty", () => {
  it("gets the leases of calls still running back from their renewals", async () => {
    const a = await serve("limit-release-1.yaml", 4, { LEASE_TTL: "300ms" });
    const late = await post(`${a.url}/es`, esRequest("stubborn", { ms: 60_000 }));
    expect(late.body).toMatchObject({ error: { code: "WHS_ERR_HANDLER_TIMEOUT" } });
    redis!.kill("SIGKILL");
    await new Promise((resolve) => redis!.once("exit", resolve));
    redis = await startRedis(redisPort);
    // Reconnected (so the next acquire asks Redis, not the per-process count), then renewed.
    await a.waitForOutput(/global concurrency limits are back[\s\S]*global concurrency lease renewed/);
    // An empty Redis would grant this call the slot; the renewal put the running call's lease back.
    const second = await post(`${a.url}/es`, esRequest("stubborn", { ms: 1 }));
    expect(second.status).toBe(429);
  });
});
