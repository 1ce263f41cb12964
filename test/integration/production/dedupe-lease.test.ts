/**
 * The dedupe lock is a short lease renewed while the handler runs, through real CLI processes
 * and a real redis-server: a long first delivery keeps its lock past the lease; once its
 * instance is killed, a retried delivery on another instance runs within the lease, not 15 s.
 */
import type { ChildProcess } from "node:child_process";
import { hash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startRedis } from "../../helpers/redis-server.js";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

let redis: ChildProcess | undefined;
let client: Redis;
let env: Record<string, string>;
const started: RunningServer[] = [];

async function serve(extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await spawnServer([`${FIXTURES}/dedupe-lease.yaml`], { env: { ...env, LEASE_TTL: "300ms", ...extra } });
  started.push(server);
  return server;
}

/** The lock's key in Redis (deduper.ts: the webhook path and the hashed responseId). */
const lockKey = (responseId: string) => `whs:dedupe:/es:${hash("sha256", responseId, "base64url")}:lock`;

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  env = { REDIS_URL: `redis://127.0.0.1:${port}` };
  client = new Redis(env.REDIS_URL!);
}, 30_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
  client?.disconnect();
  redis?.kill("SIGKILL");
});

describe("the dedupe lock", () => {
  // a runs its handlers for 60 s (and is killed mid-call); b answers at once.
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([serve({ HOLD: "1" }), serve()]);
  });

  it("is renewed while the first delivery's handler runs, past its lease", async () => {
    // Never answered: a is killed in the next test.
    void post(`${a.url}/es`, esRequest("held", {}, "resp-long")).catch(() => {});
    await a.waitForOutput("held started");
    expect(await client.pttl(lockKey("resp-long"))).toBeLessThanOrEqual(300);
    // Four renewals, every 100 ms: an unrenewed 300 ms lock would be gone by now.
    await a.waitForOutput(/(dedupe lock renewed[\s\S]*){4}/);
    expect(await client.exists(lockKey("resp-long"))).toBe(1);
  });

  it(
    "frees a crashed instance's delivery within the lease: the retry runs on another instance",
    async () => {
      const first = post(`${a.url}/es`, esRequest("held", {}, "resp-crash")).catch(() => undefined);
      // Its second call (the first test's is still running): the lock for resp-crash is taken.
      await a.waitForOutput(/(held started[\s\S]*){2}/);
      expect(await client.exists(lockKey("resp-crash"))).toBe(1);
      a.child.kill("SIGKILL");
      await first;
      // With a 15 s lock the retry waited past this test's 5 s timeout.
      const retry = await post(`${b.url}/es`, esRequest("held", {}, "resp-crash"));
      expect(retry.status).toBe(200);
      expect(esText(retry.body)).toBe(`held by ${b.child.pid}`);
    },
    5_000,
  );
});
