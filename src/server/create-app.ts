/**
 * @module The Fastify app: one catch-all dispatch route over a swappable Runtime,
 * `/healthz`, `/readyz`, the raw-body JSON parser, the error table and one access-log line
 * per request.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { useDedupe } from "../dedupe/use-dedupe.js";
import { useMetrics } from "../metrics/use-metrics.js";
import { createDispatch } from "./dispatch.js";
import { errorHandler } from "./error-handler.js";
import { clientErrorHandler, frameworkErrors, notFoundHandler } from "./framework-errors.js";
import { useContentEncoding } from "./content-encoding.js";
import { useRawJsonParser } from "./raw-json-parser.js";
import { errorBody } from "../errors.js";
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

/**
 * `server.trustProxy` → Fastify's option. A hop count N trusts the N nearest proxies, as in
 * Express; Fastify 5.12 ignores bare numbers (fails closed), so it is given as a function.
 * @see https://fastify.dev/docs/latest/Reference/Server/#trustproxy
 */
function trustProxyOption(value: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof value !== "number") return value;
  return (_address, hop) => hop < value;
}

/** A plain, short X-Request-Id; anything else (or no trusted proxy) gets our own id. */
const PROXY_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

function requestIds(fromProxy: boolean): (request: { headers: Record<string, string | string[] | undefined> }) => string {
  let next = 0;
  return (request) => {
    const given = fromProxy ? request.headers["x-request-id"] : undefined;
    if (typeof given === "string" && PROXY_REQUEST_ID.test(given)) return given;
    return `req-${(++next).toString(36)}`;
  };
}

/** RFC 9112 §3.2: exactly one Host line, or 400 (HTTP/1.0 may omit it). Node keeps only the first of several. */
function hostLines(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).length === 4 && (rawHeaders[i] as string).toLowerCase() === "host") count++;
  return count;
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
    // Node only honours requestTimeout given at http.createServer() (setting it later, as Fastify
    // does, has no effect on Node 20), and checks every 30 s by default: pass both here.
    // requireHostHeader off: Node's own 400 has an empty body; onRequest below answers ours.
    http: { requireHostHeader: false, requestTimeout: server.requestTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(server.requestTimeout / 2))) },
    trustProxy: trustProxyOption(server.trustProxy),
    // Behind a trusted proxy, keep the load balancer's request id so log lines match across hops.
    requestIdHeader: false,
    genReqId: requestIds(server.trustProxy !== false),
    // Requests arriving during the drain get our error body (dispatch), not Fastify's.
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
    forceCloseConnections: "idle",
  });
  fastify.decorateRequest("whs", null);
  fastify.decorateRequest("rawBody", undefined);
  fastify.addHook("onRequest", (request, reply, done) => {
    const hosts = hostLines(request.raw.rawHeaders);
    if (hosts === 1 || (hosts === 0 && request.raw.httpVersion === "1.0")) return done();
    reply.code(400).send(errorBody("WHS_ERR_BAD_REQUEST"));
  });
  useContentEncoding(fastify);
  useRawJsonParser(fastify, server.maxDepth);
  fastify.setErrorHandler(errorHandler);
  fastify.setNotFoundHandler(notFoundHandler(holder));

  fastify.get("/healthz", async () => ({ status: "ok" }));
  fastify.get("/readyz", async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: "draining" });
    return { status: "ready" };
  });
  fastify.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    url: "*",
    handler: createDispatch(holder, useDedupe(fastify, server, logger), state),
  });
  useMetrics(fastify, server.metrics);

  if (logger.isLevelEnabled("info")) {
    const debug = logger.isLevelEnabled("debug");
    fastify.addHook("onResponse", (request, reply, done) => {
      // Probes arrive every few seconds from every orchestrator: their lines are debug only.
      const probe = request.url === "/healthz" || request.url === "/readyz";
      if (probe && !debug) return done();
      const info = request.whs;
      logger[probe ? "debug" : "info"](
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          ip: request.ip,
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
