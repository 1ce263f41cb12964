/**
 * @module Webhook POSTs, carried from Node's request listener straight to the core: the body
 * read to `bodyLimit`, inflated and parsed by the core's body rules, the answer written with
 * `writeHead` + `end`, then counted and logged. Fastify carries everything else (the probes,
 * `/metrics`, the inspector, unknown paths and other methods) and `inject()`, whose catch-all
 * route runs the same core (dispatch-route.ts). Going around Fastify for the one request a
 * bot sends spares it Fastify's request and reply objects, its router, its content-type
 * parser (an AsyncResource per request) and its hooks: what bare node:http saves over bare
 * Fastify (docs/performance.md). The answers are the same: status, error body, content type
 * (test/integration/http-behaviour.test.ts runs its table through both).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { logAccess } from "../core/access-log.js";
import { answerJson } from "../core/answer-json.js";
import { fail, type Pipeline } from "../core/handle.js";
import { JSON_TYPE, readJson, type BodyResult } from "../core/read-body.js";
import { pathOf } from "../core/request-path.js";
import type { CoreAnswer, CoreRequest } from "../core/types.js";
import type { Metrics } from "../metrics/metrics.js";
import type { AnswerObserver } from "./dispatch-route.js";
import { countResponse } from "./use-metrics.js";

export interface DirectOptions {
  pipeline: Pipeline;
  limits: { bodyLimit: number; maxDepth: number };
  /** The server's request ids (the same sequence Fastify's requests draw from). */
  requestId: (request: IncomingMessage) => string;
  /** The client's address as `trustProxy` says (the access log's `ip`). */
  clientIp: (request: IncomingMessage) => string | undefined;
  metrics: Metrics | undefined;
  onAnswer: AnswerObserver | undefined;
}

const EMPTY = Buffer.alloc(0);
const TOO_LARGE: BodyResult<Buffer> = { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
const BROKEN: BodyResult<Buffer> = { ok: false, code: "WHS_ERR_BODY_NOT_JSON" };

/** Returns the listener's first step: true when it took the request (a POST to a configured webhook path). */
export function directWebhooks(options: DirectOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { pipeline, limits } = options;
  const logger: Logger = pipeline.logger;

  return function direct(request, response) {
    if (request.method !== "POST") return false;
    const url = request.url ?? "";
    const path = pathOf(url);
    if (!pipeline.holder.current.webhooks.has(path)) return false;
    const started = performance.now();
    const id = options.requestId(request);
    const { headers } = request;

    const write = (core: CoreRequest | undefined, answer: CoreAnswer): void => {
      if (core !== undefined) options.onAnswer?.(core, answer, performance.now() - started);
      const out = answerJson(logger, answer, id);
      out.headers["content-length"] = String(Buffer.byteLength(out.body));
      response.writeHead(out.status, out.headers);
      response.end(out.body);
      const ms = performance.now() - started;
      if (options.metrics !== undefined) countResponse(options.metrics, out.info, out.status, ms / 1000);
      if (logger.isLevelEnabled("info")) logAccess(logger, { reqId: id, method: "POST", url, ip: options.clientIp(request), status: out.status, ms, info: out.info });
    };
    const unexpected = (core: CoreRequest, error: unknown): void => {
      logger.error({ reqId: id, err: error }, "unexpected error");
      write(core, fail({}, "WHS_ERR_INTERNAL"));
    };
    const answerCore = (core: CoreRequest): void => {
      let answer: CoreAnswer | Promise<CoreAnswer>;
      try {
        answer = pipeline.answer(core);
      } catch (error) {
        return unexpected(core, error);
      }
      if (answer instanceof Promise) answer.then((a) => write(core, a), (error: unknown) => unexpected(core, error));
      else write(core, answer);
    };
    const failed = (result: { code: Parameters<typeof fail>[1]; args?: (string | number)[] }): void => write(undefined, fail({}, result.code, result.args));

    // Fastify's rules, decided before a byte is read: a body must be JSON (415); a POST with
    // neither a type nor a body has no body; a JSON type with no body is not JSON (400).
    const type = headers["content-type"];
    const framed = (headers["content-length"] !== undefined && headers["content-length"] !== "0") || headers["transfer-encoding"] !== undefined;
    if (type === undefined && !framed) return answerCore({ method: "POST", path, headers, rawBody: EMPTY, body: undefined, id }), true;
    if (type === undefined || !JSON_TYPE.test(type)) return failed({ code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" }), true;

    readWhole(request, limits.bodyLimit, (received) => {
      if (!received.ok) return failed(received);
      readJson(received.value, headers["content-encoding"], limits, (read) => {
        if (!read.ok) return failed(read);
        answerCore({ method: "POST", path, headers, rawBody: read.value.rawBody, body: read.value.body, id });
      });
    });
    return true;
  };
}

/**
 * The whole body, held to `limit` (a declared Content-Length past it is refused unread), as a
 * copy: a chunk is a view of the socket's read buffer, and the raw body outlives the request
 * (dedupe, the inspector). A stream error (the client went away mid-body) is a bad request.
 */
function readWhole(request: IncomingMessage, limit: number, done: (result: BodyResult<Buffer>) => void): void {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return done(TOO_LARGE);
  const chunks: Buffer[] = [];
  let length = 0;
  let settled = false;
  const settle = (result: BodyResult<Buffer>) => {
    if (settled) return;
    settled = true;
    request.removeListener("data", onData);
    done(result);
  };
  const onData = (chunk: Buffer) => {
    length += chunk.length;
    if (length > limit) return settle(TOO_LARGE);
    chunks.push(chunk);
  };
  request.on("data", onData);
  request.on("end", () => settle({ ok: true, value: length === 0 ? EMPTY : Buffer.concat(chunks, length) }));
  request.on("error", () => settle(BROKEN));
}
