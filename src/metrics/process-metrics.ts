/**
 * @module prom-client's default process metrics, all but `nodejs_gc_duration_seconds`. That one
 * observes `gc` performance entries, and with any such observer Node 20 makes every scavenge
 * promote ~3 KB to the old space (measured: 3,184 B a scavenge, against none without it, idle
 * or under load). Under a webhook load that grew the old space by ~1.5 MB per 100,000
 * requests and made V8 grow the young generation sooner (docs/performance.md#memory).
 * The collectors are prom-client's own modules, run as `collectDefaultMetrics` runs them.
 * @see https://github.com/siimon/prom-client/blob/master/lib/defaultMetrics.js
 */
import type { Registry } from "prom-client";
import eventLoopLag from "prom-client/lib/metrics/eventLoopLag.js";
import heapSizeAndUsed from "prom-client/lib/metrics/heapSizeAndUsed.js";
import heapSpacesSizeAndUsed from "prom-client/lib/metrics/heapSpacesSizeAndUsed.js";
import osMemoryHeap from "prom-client/lib/metrics/osMemoryHeap.js";
import processCpuTotal from "prom-client/lib/metrics/processCpuTotal.js";
import processHandles from "prom-client/lib/metrics/processHandles.js";
import processMaxFileDescriptors from "prom-client/lib/metrics/processMaxFileDescriptors.js";
import processOpenFileDescriptors from "prom-client/lib/metrics/processOpenFileDescriptors.js";
import processRequests from "prom-client/lib/metrics/processRequests.js";
import processResources from "prom-client/lib/metrics/processResources.js";
import processStartTime from "prom-client/lib/metrics/processStartTime.js";
import version from "prom-client/lib/metrics/version.js";

const COLLECTORS = [
  processCpuTotal,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  eventLoopLag,
  processResources,
  processHandles,
  processRequests,
  heapSizeAndUsed,
  heapSpacesSizeAndUsed,
  version,
];

/** Registers the process metrics on `registry` (what `collectDefaultMetrics({ register })` does, without the GC histogram). */
export function collectProcessMetrics(registry: Registry): void {
  // collectDefaultMetrics' own default precision for the event-loop histogram.
  const config = { register: registry, eventLoopMonitoringPrecision: 10 };
  for (const collect of COLLECTORS) collect(registry, config);
}
