import { AggregatorRegistry, Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RequestCounter, RequestHistogram, registerRequestMetrics } from "../../../src/metrics/request-metrics.js";

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 5, 10];
const observations: [string, string, number, number][] = [
  ["/es", "intent=a", 200, 0.001],
  ["/es", "intent=a", 200, 0.005],
  ["/es", "intent=a", 500, 0.0051],
  ["/es", "intent=b", 200, 3.2],
  ["/cx", "", 404, 12],
  ["/es", "intent=a", 200, 0.3],
];

/** The same observations through prom-client's own Counter and Histogram, and through ours. */
function both() {
  const theirs = new Registry();
  const counter = new Counter({ name: "webhook_serve_requests_total", help: "h1", labelNames: ["webhook", "route", "status"], registers: [theirs] });
  const histogram = new Histogram({ name: "webhook_serve_request_duration_seconds", help: "h2", labelNames: ["webhook", "route"], buckets: BOUNDS, registers: [theirs] });
  const ours = new Registry();
  const requests = new RequestCounter("webhook_serve_requests_total", "h1");
  const duration = new RequestHistogram("webhook_serve_request_duration_seconds", "h2", BOUNDS);
  registerRequestMetrics(ours, [requests, duration]);
  for (const [webhook, route, status, seconds] of observations) {
    counter.inc({ webhook, route, status: String(status) });
    histogram.observe({ webhook, route }, seconds);
    requests.inc(webhook, route, status);
    duration.observe(webhook, route, seconds);
  }
  return { theirs, ours };
}

const sorted = (text: string) => text.trim().split("\n").sort();

describe("request metrics", () => {
  it("give the same Prometheus text as prom-client's Counter and Histogram", async () => {
    const { theirs, ours } = both();
    const text = await ours.metrics();
    expect(sorted(text)).toEqual(sorted(await theirs.metrics()));
    expect(text).toContain('webhook_serve_request_duration_seconds_bucket{le="0.005",webhook="/es",route="intent=a"} 2');
    expect(text).toContain('webhook_serve_requests_total{webhook="/es",route="intent=a",status="200"} 3');
  });

  it("sum across workers the way prom-client's aggregator sums its own", async () => {
    const a = both();
    const b = both();
    const aggregate = async (registries: Registry[]) => AggregatorRegistry.aggregate(await Promise.all(registries.map((r) => r.getMetricsAsJSON()))).metrics();
    expect(sorted(await aggregate([a.ours, b.ours]))).toEqual(sorted(await aggregate([a.theirs, b.theirs])));
  });

  it("start again from nothing on reset", async () => {
    const { ours } = both();
    ours.resetMetrics();
    expect(await ours.metrics()).not.toMatch(/\} \d/);
  });
});
