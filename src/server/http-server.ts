/**
 * @module The Fastify server carrying the core: one catch-all route over it, `/healthz`,
 * `/readyz`, `/metrics`, the raw-body JSON parser, the error table for what Fastify and Node
 * answer themselves, and one access-log line per request.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { useMetrics } from "./use-metrics.js";
import { logAccess } from "../core/access-log.js";
import type { Pipeline } from "../core/handle.js";
import { dispatchRoute } from "./dispatch-route.js";
import type { Inspector } from "../inspect/inspector.js";
import { useInspector } from "./use-inspector.js";
import { errorHandler } from "./error-handler.js";
import { clientErrorHandler, frameworkErrors, notFoundHandler } from "./framework-errors.js";
import { useContentEncoding } from "./content-encoding.js";
import { useRawJsonParser } from "./raw-json-parser.js";
import { errorBody } from "../errors.js";

export interface HttpServer {
  fastify: FastifyInstance;
  /** The core it carries: current runtime, drain flag, dedupe store. */
  pipeline: Pipeline;
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

export interface HttpServerOptions {
  /** The live inspector (`--inspect`): its store, and the token its requests must carry. */
  inspector?: { store: Inspector; token?: string };
}

export function createHttpServer(pipeline: Pipeline, options: HttpServerOptions = {}): HttpServer {
  const { logger, state } = pipeline;
  const { server } = pipeline.holder.current.config;
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
  fastify.setNotFoundHandler(notFoundHandler(pipeline.holder));

  fastify.get("/healthz", async () => ({ status: "ok" }));
  fastify.get("/readyz", async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: "draining" });
    return { status: "ready" };
  });
  fastify.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    url: "*",
    handler: dispatchRoute(pipeline, options.inspector ? useInspector(fastify, pipeline, options.inspector.store, options.inspector.token) : undefined),
  });
  fastify.addHook("onClose", () => pipeline.close());
  useMetrics(fastify, server.metrics);

  if (logger.isLevelEnabled("info")) {
    fastify.addHook("onResponse", (request, reply, done) => {
      logAccess(logger, { reqId: request.id, method: request.method, url: request.url, ip: request.ip, status: reply.statusCode, ms: reply.elapsedTime, ...(request.whs ? { info: request.whs } : {}) });
      done();
    });
  }

  return { fastify, pipeline };
}
