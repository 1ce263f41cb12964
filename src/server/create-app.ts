/**
 * @module The Fastify app: one catch-all dispatch route over a swappable Runtime,
 * `/healthz`, `/readyz`, the raw-body JSON parser, the error table and one access-log line
 * per request.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createDispatch } from "./dispatch.js";
import { errorHandler } from "./error-handler.js";
import { useRawJsonParser } from "./raw-json-parser.js";
import type { Runtime, RuntimeHolder } from "./runtime.js";

/** Process-level state the probes read. */
export interface ServerState {
  /** True once SIGTERM arrived: `/readyz` answers 503. */
  draining: boolean;
}

export interface App {
  fastify: FastifyInstance;
  holder: RuntimeHolder;
  state: ServerState;
  /** Swap in a new runtime (hot reload); requests already running keep the old one. */
  swap(runtime: Runtime): void;
}

export function createApp(runtime: Runtime, logger: Logger): App {
  const { server } = runtime.config;
  const holder: RuntimeHolder = { current: runtime };
  const state: ServerState = { draining: false };
  const fastify = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify logs two lines per request; we write one ourselves (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request pino child: every line we write carries reqId itself, and handlers
    // get a child only when they read `context.log`.
    childLoggerFactory: (logger) => logger,
    bodyLimit: server.bodyLimit,
    requestTimeout: server.requestTimeout,
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: server.trustProxy as boolean | string,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  fastify.decorateRequest("whs", null);
  fastify.decorateRequest("rawBody", undefined);
  useRawJsonParser(fastify);
  fastify.setErrorHandler(errorHandler);

  fastify.get("/healthz", async () => ({ status: "ok" }));
  fastify.get("/readyz", async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: "draining" });
    return { status: "ready" };
  });
  fastify.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    url: "*",
    handler: createDispatch(holder),
  });

  if (logger.isLevelEnabled("info")) {
    fastify.addHook("onResponse", (request, reply, done) => {
      const info = request.whs;
      logger.info(
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          webhook: info?.webhook,
          route: info?.route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        "request",
      );
      done();
    });
  }

  return {
    fastify,
    holder,
    state,
    swap(next: Runtime) {
      holder.current = next;
    },
  };
}
