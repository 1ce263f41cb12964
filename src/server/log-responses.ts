/**
 * @module One onResponse hook for the access-log line and the request metrics, registered only
 * when one of them is on (each hook costs every request). logAccess reads the level per line,
 * so a reload that changes it takes effect.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { logAccess } from "../core/access-log.js";
import type { Metrics } from "../metrics/metrics.js";
import { countResponse } from "./use-metrics.js";

export function logResponses(app: FastifyInstance, logger: Logger, metrics: Metrics | undefined): void {
  if (metrics === undefined && !logger.isLevelEnabled("info")) return;
  app.addHook("onResponse", (request, reply, done) => {
    if (metrics !== undefined) countResponse(metrics, request.whs, reply.statusCode, reply.elapsedTime / 1000);
    // Checked first so a quiet server does not build the line (probes are debug, below info).
    if (logger.isLevelEnabled("info")) logAccess(logger, { reqId: request.id, method: request.method, url: request.url, ip: request.ip, status: reply.statusCode, ms: reply.elapsedTime, ...(request.whs ? { info: request.whs } : {}) });
    done();
  });
}
