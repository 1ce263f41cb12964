/**
 * Metrics scraped from a real process and parsed; `server.metrics: false` turns them off;
 * graceful drain under load: SIGTERM while requests are in flight → every one of them
 * answers 200, new connections are refused, the process exits 0.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { parsePrometheusText, sampleValue } from "../../helpers/prometheus-text.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

describe("metrics", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await spawnServer([`${FIXTURES}/production.yaml`]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("counts requests by webhook, route and status, handler errors and timeouts, with process metrics", async () => {
    expect((await post(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
    expect((await post(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
    expect((await post(`${server.url}/es`, esRequest("boom"))).status).toBe(500);
    expect((await post(`${server.url}/es`, esRequest("late"))).status).toBe(504);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(await res.text());
    expect(sampleValue(m, "webhook_serve_requests_total", { webhook: "/es", route: "intent=pid", status: "200" })).toBe(2);
    expect(sampleValue(m, "webhook_serve_requests_total", { webhook: "/es", route: "intent=boom", status: "500" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_handler_errors_total", { webhook: "/es", route: "intent=boom" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_handler_timeouts_total", { webhook: "/es", route: "intent=late" })).toBe(1);
    expect(sampleValue(m, "webhook_serve_request_duration_seconds_count", { webhook: "/es", route: "intent=pid" })).toBe(2);
    expect(sampleValue(m, "webhook_serve_reloads_total", { result: "ok" })).toBe(0);
    expect(sampleValue(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect([...m.keys()].some((k) => k.startsWith("nodejs_eventloop_lag_seconds"))).toBe(true);
  });

  it("sends no x-powered-by header", async () => {
    const res = await post(`${server.url}/es`, esRequest("pid"));
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).headers.get("x-powered-by")).toBeNull();
  });
});

describe("server.metrics: false", () => {
  it("answers /metrics with 404", async () => {
    const server = await spawnServer([`${FIXTURES}/metrics-off.yaml`]);
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "WHS_ERR_NOT_FOUND", message: "No webhook at this path" } });
      expect((await post(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe("server.metricsToken", () => {
  it("answers a scrape without the bearer token 401 with a challenge, and never logs the token", async () => {
    const token = "scrape-4f9c1e7d";
    const server = await spawnServer([`${FIXTURES}/metrics-token.yaml`], { env: { METRICS_TOKEN: token } });
    try {
      for (const authorization of [undefined, "Bearer wrong", `Basic ${token}`, `Bearer ${token}x`]) {
        const res = await fetch(`${server.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('Bearer realm="webhook-serve metrics"');
        expect(await res.json()).toEqual({ error: { code: "WHS_ERR_AUTH_FAILED", message: "Unauthorized" } });
      }
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(sampleValue(parsePrometheusText(await ok.text()), "webhook_serve_draining")).toBe(0);
      // The probes and the webhooks need no token.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await post(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
      expect(server.output()).not.toContain(token);
    } finally {
      await server.stop();
    }
  });
});

/** One request on its own connection (no keep-alive pool), so the drain sees a real client. */
function rawPost(url: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(url, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

describe("graceful drain", () => {
  it("finishes every in-flight request after SIGTERM, refuses new connections, exits 0", async () => {
    const server = await spawnServer([`${FIXTURES}/production.yaml`]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const inFlight = Array.from({ length: 12 }, (_, n) => rawPost(`${server.url}/es`, esRequest("slow", { ms: 600, n })));
    // Every request reached the handler; then ask the process to stop.
    await server.waitForOutput(/(slow started[\s\S]*){12}/);
    const exited = server.stop("SIGTERM");
    // The listener closes just after the signal; until then a new request may still get in (and a 503).
    await vi.waitFor(() => expect(rawPost(`${server.url}/es`, esRequest("pid"))).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/), { timeout: 3000, interval: 20 });
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(results.every((r) => esText(JSON.parse(r.text)) === "slow done")).toBe(true);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/shutting down: finishing in-flight requests/);
  });
});
