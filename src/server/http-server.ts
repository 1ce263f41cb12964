/**
 * @module The HTTP server: one Fastify app, the carrier of the core. Node's request listener
 * checks the Host line; Fastify does the rest: request ids, the error table for what Fastify
 * and Node answer themselves (unknown paths and methods, malformed URLs, client errors), one
 * access-log line per request, and the webhook-serve plugin (webhook-plugin.ts) with the
 * webhooks, the probes, `/metrics` and the inspector.
 */
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";
import { logAccess, type AccessLog } from "../core/access-log.js";
import type { Pipeline } from "../core/handle.js";
import { createMetrics, type Metrics } from "../metrics/metrics.js";
import { errorHandler } from "./error-handler.js";
import { clientErrorHandler, frameworkErrors, notFoundHandler } from "./framework-errors.js";
import { responseObserver } from "./log-responses.js";
import webhookServe from "./webhook-plugin.js";
import type { InspectorOptions } from "./use-inspector.js";
import { errorBody } from "../errors.js";
import { hostIsValid } from "./host-header.js";
import { closingResponse } from "./closing-response.js";

export interface HttpServer {
  fastify: FastifyInstance;
  /** The core it carries: current runtime, drain flag, dedupe store. */
  pipeline: Pipeline;
  /** The server's metrics (`server.metrics`), which also count reloads and faults. */
  metrics: Metrics | undefined;
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

function requestIds(fromProxy: boolean): (request: { headers: IncomingMessage["headers"] }) => string {
  let next = 0;
  return (request) => {
    const given = fromProxy ? request.headers["x-request-id"] : undefined;
    if (typeof given === "string" && PROXY_REQUEST_ID.test(given)) return given;
    return `req-${(++next).toString(36)}`;
  };
}

const BAD_HOST = JSON.stringify(errorBody("WHS_ERR_BAD_REQUEST"));

/** 400 for a request Fastify never sees; it still gets its access-log line. */
function refusingHost(log: AccessLog, id: (request: IncomingMessage) => string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(BAD_HOST) });
    response.end(BAD_HOST);
    logAccess(log, { reqId: id(request), method: request.method ?? "", url: request.url ?? "", ip: request.socket.remoteAddress, status: 400, ms: 0 });
  };
}

interface HttpServerOptions {
  /** The live inspector (`--inspect`): its store, the token its requests must carry, extra host names. */
  inspector?: InspectorOptions;
}

export function createHttpServer(pipeline: Pipeline, options: HttpServerOptions = {}): HttpServer {
  const { logger } = pipeline;
  const { server } = pipeline.runtime.config;
  const genReqId = requestIds(server.trustProxy !== false);
  // One access line and one count per answer, wherever it is answered (log-responses.ts).
  const metrics = server.metrics ? createMetrics() : undefined;
  const observe = responseObserver(pipeline, metrics);
  const refuseHost = refusingHost(pipeline, genReqId);
  const fastify = Fastify({
    // No logger for Fastify itself: with one, every request pays for a child logger (or, with
    // a factory that returns the logger itself, for its bindings and a check of its methods:
    // ~5,000 instructions). We write the one access line ourselves (log-responses.ts), every
    // other line through the core's logger, which carries reqId itself.
    logger: false,
    bodyLimit: server.bodyLimit,
    requestTimeout: server.requestTimeout,
    // Node only honours requestTimeout given at http.createServer() (setting it later, as Fastify
    // does, has no effect on Node 20), and checks every 30 s by default: pass both here.
    // requireHostHeader off: Node's own 400 has an empty body. The Host check runs in the
    // request listener instead, ahead of Fastify: no hook on every request.
    serverFactory: (handler, options) => {
      const http = createNodeServer(
        {
          requireHostHeader: false,
          requestTimeout: server.requestTimeout,
          connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(server.requestTimeout / 2))),
          // Once draining, every answer closes its connection (closing-response.ts).
          ServerResponse: closingResponse(pipeline.state),
        },
        (request, response) => {
          if (!hostIsValid(request)) return refuseHost(request, response);
          handler(request, response);
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
    frameworkErrors: frameworkErrors(observe),
    clientErrorHandler,
    forceCloseConnections: "idle",
  });
  fastify.setErrorHandler(errorHandler(logger, observe));
  fastify.setNotFoundHandler(notFoundHandler(pipeline.holder, "", observe));
  fastify.register(webhookServe, { pipeline, metrics: metrics ?? false, ...(observe ? { observe } : {}), ...(options.inspector ? { inspector: options.inspector } : {}) });
  fastify.addHook("onClose", () => pipeline.close());
  return { fastify, pipeline, metrics };
}
