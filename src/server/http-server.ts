/**
 * @module The HTTP server carrying the core. Node's request listener checks the Host line and
 * hands webhook POSTs straight to the core (direct-webhook.ts); Fastify serves the rest: one
 * catch-all route over the same core (what `inject()` and other methods reach), `/healthz`,
 * `/readyz`, `/metrics`, the inspector, the raw-body JSON parser, the error table for what
 * Fastify and Node answer themselves, and one access-log line per request.
 */
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from "node:http";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { countResponse, useMetrics } from "./use-metrics.js";
import { logAccess } from "../core/access-log.js";
import type { Pipeline } from "../core/handle.js";
import { dispatchRoute } from "./dispatch-route.js";
import { directWebhooks } from "./direct-webhook.js";
import type { Inspector } from "../inspect/inspector.js";
import { useInspector } from "./use-inspector.js";
import { errorHandler } from "./error-handler.js";
import { clientErrorHandler, frameworkErrors, notFoundHandler } from "./framework-errors.js";
import { useRawJsonParser } from "./raw-json-parser.js";
import { errorBody } from "../errors.js";
import proxyAddr from "proxy-addr";

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

/**
 * The client's address as Fastify's `request.ip` gives it: the socket's peer, or with
 * `trustProxy` the furthest address of the trusted X-Forwarded-For chain.
 * @see https://github.com/jshttp/proxy-addr#proxyaddrreq-trust
 */
function clientAddress(trustProxy: boolean | number | string): (request: IncomingMessage) => string | undefined {
  if (trustProxy === false) return (request) => request.socket.remoteAddress;
  const option = trustProxyOption(trustProxy);
  const trust = typeof option === "function" ? option : typeof option === "string" ? proxyAddr.compile(option.split(",").map((entry) => entry.trim())) : () => true;
  return (request) => proxyAddr(request, trust);
}

/** A plain, short X-Request-Id; anything else (or no trusted proxy) gets our own id. */
const PROXY_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

function requestIds(fromProxy: boolean): (request: { headers: IncomingMessage["headers"] }) => string {
  let next = 0;
  return (request) => {
    const given = fromProxy ? request.headers["x-request-id"] : undefined;
    if (typeof given === "string" && PROXY_REQUEST_ID.test(given)) return given;
    return `req-${(++next).toString(36)}`;
  };
}

/** RFC 9112 §3.2: exactly one Host line, or 400 (HTTP/1.0 may omit it). Node keeps only the first of several. */
function hostIsValid(request: IncomingMessage): boolean {
  const { rawHeaders } = request;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).length === 4 && (rawHeaders[i] as string).toLowerCase() === "host") count++;
  return count === 1 || (count === 0 && request.httpVersion === "1.0");
}

const BAD_HOST = JSON.stringify(errorBody("WHS_ERR_BAD_REQUEST"));

/** 400 for a request Fastify never sees; it still gets its access-log line. */
function refusingHost(logger: Logger, id: (request: IncomingMessage) => string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(BAD_HOST) });
    response.end(BAD_HOST);
    logAccess(logger, { reqId: id(request), method: request.method ?? "", url: request.url ?? "", ip: request.socket.remoteAddress, status: 400, ms: 0 });
  };
}

export interface HttpServerOptions {
  /** The live inspector (`--inspect`): its store, and the token its requests must carry. */
  inspector?: { store: Inspector; token?: string };
}

export function createHttpServer(pipeline: Pipeline, options: HttpServerOptions = {}): HttpServer {
  const { logger, state } = pipeline;
  const { server } = pipeline.holder.current.config;
  const genReqId = requestIds(server.trustProxy !== false);
  const refuseHost = refusingHost(logger, genReqId);
  // Filled in below, once the metrics and the inspector exist: the listener is made before them.
  const late: { direct?: (request: IncomingMessage, response: ServerResponse) => boolean } = {};
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
    // requireHostHeader off: Node's own 400 has an empty body. The Host check runs in the
    // request listener instead, ahead of Fastify: no hook on every request.
    serverFactory: (handler, options) => {
      const http = createNodeServer(
        { requireHostHeader: false, requestTimeout: server.requestTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(server.requestTimeout / 2))) },
        (request, response) => {
          if (!hostIsValid(request)) return refuseHost(request, response);
          if (late.direct?.(request, response) !== true) handler(request, response);
        },
      );
      // What Fastify sets on a server it creates itself.
      http.keepAliveTimeout = options.keepAliveTimeout as number;
      http.setTimeout(options.connectionTimeout as number);
      return http;
    },
    trustProxy: trustProxyOption(server.trustProxy),
    // Behind a trusted proxy, keep the load balancer's request id so log lines match across hops.
    requestIdHeader: false,
    genReqId,
    // Requests arriving during the drain get our error body (dispatch), not Fastify's.
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
    forceCloseConnections: "idle",
  });
  fastify.decorateRequest("whs", null);
  fastify.decorateRequest("rawBody", undefined);
  useRawJsonParser(fastify, server);
  fastify.setErrorHandler(errorHandler);
  fastify.setNotFoundHandler(notFoundHandler(pipeline.holder));

  fastify.get("/healthz", async () => ({ status: "ok" }));
  fastify.get("/readyz", async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: "draining" });
    return { status: "ready" };
  });
  const onAnswer = options.inspector ? useInspector(fastify, pipeline, options.inspector.store, options.inspector.token) : undefined;
  fastify.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    url: "*",
    handler: dispatchRoute(pipeline, onAnswer),
  });
  fastify.addHook("onClose", () => pipeline.close());
  const metrics = useMetrics(fastify, server.metrics);
  late.direct = directWebhooks({ pipeline, limits: server, requestId: genReqId, clientIp: clientAddress(server.trustProxy), metrics, onAnswer });
  // One hook for both, registered only when one of them is on (each hook costs every request);
  // logAccess reads the level per line, so a reload that changes it takes effect.
  if (metrics !== undefined || logger.isLevelEnabled("info")) {
    fastify.addHook("onResponse", (request, reply, done) => {
      if (metrics !== undefined) countResponse(metrics, request.whs, reply.statusCode, reply.elapsedTime / 1000);
      // Checked first so a quiet server does not build the line (probes are debug, below info).
      if (logger.isLevelEnabled("info")) logAccess(logger, { reqId: request.id, method: request.method, url: request.url, ip: request.ip, status: reply.statusCode, ms: reply.elapsedTime, ...(request.whs ? { info: request.whs } : {}) });
      done();
    });
  }

  return { fastify, pipeline };
}
