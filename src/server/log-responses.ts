/**
 * @module The access-log line and the request metrics for each answer. The routes that answer
 * through our own functions (the webhooks, the not-found and error handlers) call the
 * observer right after they send; the few that answer through Fastify's own send (probes,
 * `/metrics`, the inspector) get it from an onResponse hook in their own scope. No hook on
 * the webhook routes: Fastify's hook runner costs every request ~9,000 instructions
 * (callgrind, the bench's 1,000-route server). logAccess reads the level per line, so a
 * reload that changes it takes effect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { logAccess, type AccessLog } from "../core/access-log.js";
import type { Metrics } from "../metrics/metrics.js";
import { infoOf } from "./request-slots.js";
import { countResponse } from "./use-metrics.js";

/** Logs and counts one answered request. */
export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply) => void;

/** The observer; undefined when neither metrics nor access lines are on (nothing to pay for). */
export function responseObserver(log: AccessLog, metrics: Metrics | undefined): ResponseObserver | undefined {
  const { logger } = log;
  if (metrics === undefined && !logger.isLevelEnabled("info")) return undefined;
  return (request, reply) => {
    const info = infoOf(request);
    if (metrics !== undefined) countResponse(metrics, info, reply.statusCode, reply.elapsedTime / 1000);
    // Checked first so a quiet server does not build the line (probes are debug, below info).
    if (logger.isLevelEnabled("info")) logAccess(log, { reqId: request.id, method: request.method, url: request.url, ip: request.ip, status: reply.statusCode, ms: reply.elapsedTime, info });
  };
}

/** Observes every response of `scope` (routes that answer through Fastify's own send). */
export function observeScope(scope: FastifyInstance, observe: ResponseObserver | undefined): void {
  if (observe === undefined) return;
  scope.addHook("onResponse", (request, reply, done) => {
    observe(request, reply);
    done();
  });
}
