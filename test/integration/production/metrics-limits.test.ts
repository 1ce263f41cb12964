/**
 * `/metrics` shows what an operator needs about limits and Redis, through the real CLI and a
 * real redis-server: calls in flight per route, global slots in use, Redis up and errors by
 * store, limited calls by outcome, the drain flag. Each scrape is read by a strict parser of
 * the exposition format, and every webhook_serve_ family it has is documented in
 * docs/operations.md (and every documented one is served).
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, sampleValue, type Family } from "../../helpers/prometheus-text.js";
import { freePort, startRedis } from "../../helpers/redis-server.js";
import { REPO, post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

let redis: ChildProcess | undefined;
let server: RunningServer;

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  server = await spawnServer([`${FIXTURES}/metrics-limit.yaml`], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
}, 30_000);

afterAll(async () => {
  await server?.stop("SIGKILL");
  redis?.kill("SIGKILL");
});

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

const slow = { webhook: "/es", route: "intent=slow" };
const strict = { webhook: "/es", route: "intent=strict" };

describe("/metrics for limits and Redis", () => {
  it("counts calls in flight, global slots, limited calls by outcome, Redis up, not draining", async () => {
    // Never answered: they hold their slots until the server is killed.
    void post(`${server.url}/es`, esRequest("slow", { ms: 60_000, n: "held-slow" })).catch(() => {});
    void post(`${server.url}/es`, esRequest("strict", { ms: 60_000, n: "held-strict" })).catch(() => {});
    await server.waitForOutput('"n":"held-slow"');
    await server.waitForOutput('"n":"held-strict"');
    const busy = await post(`${server.url}/es`, esRequest("slow", { ms: 1 }));
    expect(esText(busy.body)).toBe("busy");
    expect((await post(`${server.url}/es`, esRequest("strict", { ms: 1 }))).status).toBe(429);

    const m = await scrape();
    expect(sampleValue(m, "webhook_serve_calls_in_flight", slow)).toBe(1);
    expect(sampleValue(m, "webhook_serve_calls_in_flight", strict)).toBe(1);
    expect(sampleValue(m, "webhook_serve_global_slots_in_use", slow)).toBe(1);
    expect(sampleValue(m, "webhook_serve_global_slots_in_use", strict)).toBe(1);
    expect(sampleValue(m, "webhook_serve_limited_total", { ...slow, outcome: "fallback" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_limited_total", { ...strict, outcome: "rejected" })).toBe(1);
    // The fallback's 200 is still a 200 in the request count: the limited series tells them apart.
    expect(sampleValue(m, "webhook_serve_requests_total", { ...slow, status: "200" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_redis_up", { store: "limit" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_redis_up", { store: "dedupe" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_redis_errors_total", { store: "limit" })).toBe(0);
    expect(sampleValue(m, "webhook_serve_draining")).toBe(0);
  });

  it("documents every webhook_serve_ family it serves, and serves every one documented", async () => {
    const served = [...(await scrape()).keys()].filter((name) => name.startsWith("webhook_serve_"));
    const documented = [...readFileSync(`${REPO}/docs/operations.md`, "utf8").matchAll(/^\| `(webhook_serve_[a-z_]+)` \|/gm)].map((match) => match[1]);
    // Process faults are counted by the CLI's process handlers, also served here.
    expect(served.sort()).toEqual([...new Set(documented)].sort());
  });

  it("shows Redis down, with its errors, once it is gone", async () => {
    redis?.kill("SIGKILL");
    await new Promise((resolve) => redis?.once("exit", resolve));
    // A call needs a lease: Redis refuses, the limit falls back to this process (and logs it).
    await post(`${server.url}/es`, esRequest("strict", { ms: 1 }));
    await server.waitForOutput("global concurrency limits unavailable");
    const m = await scrape();
    expect(sampleValue(m, "webhook_serve_redis_up", { store: "limit" })).toBe(0);
    expect(sampleValue(m, "webhook_serve_redis_errors_total", { store: "limit" })).toBeGreaterThan(0);
    // No count to read from a Redis that is gone: the series is left out, not a stale number.
    expect(sampleValue(m, "webhook_serve_global_slots_in_use", slow)).toBeUndefined();
  });
});
