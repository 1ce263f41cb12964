/** The scrape-time gauges read their probe at each scrape; the drain flag can be set by shutdown code. */
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/metrics/metrics.js";
import type { CoreProbe } from "../../../src/metrics/core-metrics.js";
import { parsePrometheusText, sampleValue } from "../../helpers/prometheus-text.js";

function probe(state: { draining: boolean; calls: number }): CoreProbe {
  return {
    inFlight: () => [{ webhook: "/a", route: "intent=x", calls: state.calls }],
    globalSlots: async () => [],
    redis: () => [{ store: "dedupe", up: false, errors: 3 }],
    draining: () => state.draining,
  };
}

describe("core metrics", () => {
  it("reads the probe at each scrape", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const state = { draining: false, calls: 2 };
    metrics.watch(probe(state));
    let m = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(m, "webhook_serve_calls_in_flight", { webhook: "/a", route: "intent=x" })).toBe(2);
    expect(sampleValue(m, "webhook_serve_redis_up", { store: "dedupe" })).toBe(0);
    expect(sampleValue(m, "webhook_serve_redis_errors_total", { store: "dedupe" })).toBe(3);
    expect(sampleValue(m, "webhook_serve_draining")).toBe(0);
    state.calls = 0;
    state.draining = true;
    m = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(m, "webhook_serve_calls_in_flight", { webhook: "/a", route: "intent=x" })).toBe(0);
    expect(sampleValue(m, "webhook_serve_draining")).toBe(1);
  });

  it("shows draining once shutdown code sets it, with or without a probe", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.setDraining(true);
    expect(sampleValue(parsePrometheusText(await metrics.registry.metrics()), "webhook_serve_draining")).toBe(1);
    metrics.setDraining(false);
    expect(sampleValue(parsePrometheusText(await metrics.registry.metrics()), "webhook_serve_draining")).toBe(0);
  });

  it("counts limited calls by outcome", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.limited("/a", "intent=x", "fallback");
    metrics.limited("/a", "intent=x", "fallback");
    metrics.limited("/a", "intent=x", "rejected");
    const m = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(m, "webhook_serve_limited_total", { webhook: "/a", route: "intent=x", outcome: "fallback" })).toBe(2);
    expect(sampleValue(m, "webhook_serve_limited_total", { webhook: "/a", route: "intent=x", outcome: "rejected" })).toBe(1);
  });
});
