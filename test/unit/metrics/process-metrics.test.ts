/**
 * The process metrics are prom-client's defaults without the GC histogram, whose `gc`
 * observer costs every scavenge (src/metrics/process-metrics.ts). The expected names come
 * from prom-client's own `collectDefaultMetrics`, so a collector it adds or moves shows up here.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { Registry, collectDefaultMetrics } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/metrics/metrics.js";

const names = async (registry: Registry) => (await registry.getMetricsAsJSON()).map((m) => m.name).sort();

describe("process metrics", () => {
  it("are prom-client's defaults, all but nodejs_gc_duration_seconds", async () => {
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    const expected = (await names(defaults)).filter((name) => name !== "nodejs_gc_duration_seconds");
    const ours = (await names(createMetrics().registry)).filter((name) => !name.startsWith("webhook_serve_"));
    expect(ours).toEqual(expected);
    expect(ours).toContain("process_cpu_seconds_total");
    expect(ours).toContain("nodejs_eventloop_lag_seconds");
    expect(ours).not.toContain("nodejs_gc_duration_seconds");
  });

  it("report values, as prom-client's do", async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^nodejs_version_info\{version="v\d+/m);
  });

  it("observe no gc performance entries", () => {
    // PerformanceObserver.supportedEntryTypes is fixed; what counts is that no observer of ours asks for "gc".
    const observe = PerformanceObserver.prototype.observe;
    const asked: unknown[] = [];
    PerformanceObserver.prototype.observe = function (this: PerformanceObserver, options: Parameters<PerformanceObserver["observe"]>[0]) {
      asked.push(options);
      return observe.call(this, options);
    };
    try {
      createMetrics();
    } finally {
      PerformanceObserver.prototype.observe = observe;
    }
    expect(JSON.stringify(asked)).not.toContain("gc");
  });
});
