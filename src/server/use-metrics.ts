/**
 * @module Metrics on a Fastify app: `GET /metrics`, and `countResponse` for the onResponse
 * hook (it reads the core's account of the request: webhook, route, outcome, kept by dispatch). With
 * `server.metrics: false` nothing is registered and `/metrics` is an unknown path (404). With
 * `server.metricsToken`, a scrape without that bearer token gets 401.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { matchesHash, sha256 } from "../auth/constant-time.js";
import { errorBody, errorCodes } from "../errors.js";
import type { Pipeline } from "../core/handle.js";
import type { RequestInfo } from "../core/types.js";
import type { CoreProbe } from "../metrics/core-metrics.js";
import type { Metrics } from "../metrics/metrics.js";
import { clusterMetricsText, registerWorkerRegistry } from "../metrics/cluster-metrics.js";

/** Registers `GET /metrics` for these metrics on a not-yet-ready app. */
export function useMetrics(fastify: FastifyInstance, metrics: Metrics, pipeline: Pipeline): void {
  registerWorkerRegistry(metrics.registry);
  metrics.watch(coreProbe(pipeline));
  const token = pipeline.runtime.config.server.metricsToken;
  const denied = token === undefined ? undefined : bearerCheck(token);
  fastify.get("/metrics", async (request, reply) => {
    if (denied?.(request, reply)) return reply;
    // Under --workers each worker counts its own requests; the primary sums them.
    const text = (await clusterMetricsText(metrics.registry)) ?? (await metrics.registry.metrics());
    return reply.type(metrics.registry.contentType).send(text);
  });
}

const METRICS_CHALLENGE = 'Bearer realm="webhook-serve metrics"';
const BEARER = /^bearer +(\S+) *$/i;

/** True after answering 401 to a scrape without the token (compared in constant time, hashed first). */
function bearerCheck(token: string): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const expected = sha256(token);
  return (request, reply) => {
    const given = BEARER.exec(request.headers.authorization ?? "")?.[1];
    if (given !== undefined && matchesHash(given, expected)) return false;
    void reply.code(errorCodes.WHS_ERR_AUTH_FAILED.status).header("www-authenticate", METRICS_CHALLENGE).send(errorBody("WHS_ERR_AUTH_FAILED"));
    return true;
  };
}

/** One answered request, from the onResponse hook. */
export function countResponse(metrics: Metrics, info: RequestInfo | null | undefined, status: number, seconds: number): void {
  const webhook = info?.webhook ?? "";
  const route = info?.route ?? "";
  metrics.request(webhook, route, status, seconds);
  if (info?.outcome === "timeout") metrics.handlerTimeout(webhook, route);
  else if (info?.outcome === "error") metrics.handlerError(webhook, route);
  else if (info?.outcome === "duplicate") metrics.dedupeHit(webhook);
  if (info?.limited === true) metrics.limited(webhook, route, status === 429 ? "rejected" : status < 400 ? "fallback" : "fallback_failed");
}

/** The core as the scrape-time gauges read it: always the current runtime. */
function coreProbe(pipeline: Pipeline): CoreProbe {
  return {
    *inFlight() {
      for (const webhook of pipeline.runtime.webhooks.values())
        for (const route of webhook.routes) if (route.target.kind === "handler" || route.globalLimit === true) yield { webhook: webhook.path, route: route.label, calls: route.slots.inFlight };
    },
    globalSlots: () => pipeline.globalSlots(),
    *redis() {
      for (const [store, health] of Object.entries(pipeline.redis)) if (health !== undefined) yield { store, up: health.up, errors: health.errors };
    },
    draining: () => pipeline.state.draining,
  };
}
