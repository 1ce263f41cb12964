/**
 * @module Wires metrics into a Fastify app: `GET /metrics`, and `countResponse` for the
 * server's one onResponse hook (it reads `request.whs`: webhook, route, outcome, set by
 * dispatch) and for the direct webhook path. With `server.metrics: false` nothing is registered and `/metrics` falls through
 * to dispatch (404).
 */
import type { FastifyInstance } from "fastify";
import type { RequestInfo } from "../core/types.js";
import type { FaultKind } from "./process-faults.js";
import { createMetrics, type Metrics, type ReloadResult } from "../metrics/metrics.js";
import { clusterMetricsText, registerWorkerRegistry } from "../metrics/cluster-metrics.js";

const byApp = new WeakMap<FastifyInstance, Metrics>();

/** Registers the route on a not-yet-ready app; returns the metrics, or undefined when off. */
export function useMetrics(fastify: FastifyInstance, enabled: boolean): Metrics | undefined {
  if (!enabled) return undefined;
  const metrics = createMetrics();
  byApp.set(fastify, metrics);
  registerWorkerRegistry(metrics.registry);
  fastify.get("/metrics", async (_request, reply) => {
    // Under --workers each worker counts its own requests; the primary sums them.
    const text = (await clusterMetricsText(metrics.registry)) ?? (await metrics.registry.metrics());
    return reply.type(metrics.registry.contentType).send(text);
  });
  return metrics;
}

/** One answered request: from the onResponse hook, or the direct webhook path (direct-webhook.ts). */
export function countResponse(metrics: Metrics, info: RequestInfo | null | undefined, status: number, seconds: number): void {
  const webhook = info?.webhook ?? "";
  const route = info?.route ?? "";
  metrics.request(webhook, route, status, seconds);
  if (info?.outcome === "timeout") metrics.handlerTimeout(webhook, route);
  else if (info?.outcome === "error") metrics.handlerError(webhook, route);
  else if (info?.outcome === "duplicate") metrics.dedupeHit(webhook);
}

/**
 * Counts one reload for `webhook_serve_reloads_total{result}`; a no-op when metrics are off.
 * @example countReload(app.fastify, built.ok ? "ok" : "failed");
 */
export function countReload(fastify: FastifyInstance, result: ReloadResult): void {
  byApp.get(fastify)?.reload(result);
}

/** Counts one process fault for `webhook_serve_process_faults_total{kind}`. */
export function countFault(fastify: FastifyInstance, kind: FaultKind): void {
  byApp.get(fastify)?.fault(kind);
}
