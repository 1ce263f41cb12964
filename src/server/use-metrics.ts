/**
 * @module Metrics on a Fastify app: `GET /metrics`, and `countResponse` for the onResponse
 * hook (it reads the core's account of the request: webhook, route, outcome, kept by dispatch). With
 * `server.metrics: false` nothing is registered and `/metrics` is an unknown path (404).
 */
import type { FastifyInstance } from "fastify";
import type { RequestInfo } from "../core/types.js";
import type { Metrics } from "../metrics/metrics.js";
import { clusterMetricsText, registerWorkerRegistry } from "../metrics/cluster-metrics.js";

/** Registers `GET /metrics` for these metrics on a not-yet-ready app. */
export function useMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  registerWorkerRegistry(metrics.registry);
  fastify.get("/metrics", async (_request, reply) => {
    // Under --workers each worker counts its own requests; the primary sums them.
    const text = (await clusterMetricsText(metrics.registry)) ?? (await metrics.registry.metrics());
    return reply.type(metrics.registry.contentType).send(text);
  });
}

/** One answered request, from the onResponse hook. */
export function countResponse(metrics: Metrics, info: RequestInfo | null | undefined, status: number, seconds: number): void {
  const webhook = info?.webhook ?? "";
  const route = info?.route ?? "";
  metrics.request(webhook, route, status, seconds);
  if (info?.outcome === "timeout") metrics.handlerTimeout(webhook, route);
  else if (info?.outcome === "error") metrics.handlerError(webhook, route);
  else if (info?.outcome === "duplicate") metrics.dedupeHit(webhook);
}
