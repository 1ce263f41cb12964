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
import { JSON_TYPE, readJson, type BodyFailure, type BodyResult, type ReadBody } from "../core/read-body.js";
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
const TOO_LARGE: BodyFailure = { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
const BROKEN: BodyFailure = { ok: false, code: "WHS_ERR_BODY_NOT_JSON" };
const UNSUPPORTED: BodyFailure = { ok: false, code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" };

/** Where a request's stream listeners, shared by every request, find its exchange. */
const EXCHANGE = Symbol("webhook-serve.exchange");
type Carrying = IncomingMessage & { [EXCHANGE]?: Exchange };

/** Returns the listener's first step: true when it took the request (a POST to a configured webhook path). */
export function directWebhooks(options: DirectOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const shared: Shared = { ...options, logger: options.pipeline.logger };

  return function direct(request, response) {
    if (request.method !== "POST") return false;
    const url = request.url ?? "";
    const path = pathOf(url);
    if (!shared.pipeline.holder.current.webhooks.has(path)) return false;
    const exchange = new Exchange(shared, request, response, url, path);
    // Fastify's rules, decided before a byte is read: a body must be JSON (415); a POST with
    // neither a type nor a body has no body; a JSON type with no body is not JSON (400).
    const { headers } = request;
    const type = headers["content-type"];
    const framed = (headers["content-length"] !== undefined && headers["content-length"] !== "0") || headers["transfer-encoding"] !== undefined;
    if (type === undefined && !framed) exchange.answer(EMPTY, undefined);
    else if (type === undefined || !JSON_TYPE.test(type)) exchange.failed(UNSUPPORTED);
    else exchange.readBody();
    return true;
  };
}

interface Shared extends DirectOptions {
  logger: Logger;
}

/**
 * One webhook POST in flight. Its state is this one object and its steps are methods, and the
 * body's stream listeners are shared by every request (`this` is the request): a static reply
 * builds no closure. Only a handler's promise gets two.
 */
class Exchange {
  readonly started = performance.now();
  readonly id: string;
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private settled = false;

  constructor(
    private readonly shared: Shared,
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly url: string,
    private readonly path: string,
  ) {
    this.id = shared.requestId(request);
  }

  /**
   * The whole body, held to `bodyLimit` (a declared Content-Length past it is refused unread),
   * then inflated and parsed by the core's rules.
   */
  readBody(): void {
    const declared = this.request.headers["content-length"];
    if (declared !== undefined && Number(declared) > this.shared.limits.bodyLimit) return this.failed(TOO_LARGE);
    (this.request as Carrying)[EXCHANGE] = this;
    this.request.on("data", onData);
    this.request.on("end", onEnd);
    this.request.on("error", onError);
  }

  received(chunk: Buffer): void {
    this.length += chunk.length;
    if (this.length > this.shared.limits.bodyLimit) return this.settle(TOO_LARGE);
    this.chunks.push(chunk);
  }

  /**
   * The body is whole, too large, or broken (the client went away mid-body: a bad request).
   */
  settle(result: BodyFailure | "whole"): void {
    if (this.settled) return;
    this.settled = true;
    this.request.removeListener("data", onData);
    if (result !== "whole") return this.failed(result);
    const received = this.length === 0 ? EMPTY : wholeBody(this.chunks, this.length);
    readJson(received, this.request.headers["content-encoding"], this.shared.limits, bodyRead, this);
  }

  answer(rawBody: Buffer, body: unknown): void {
    const core: CoreRequest = { method: "POST", path: this.path, headers: this.request.headers, rawBody, body, id: this.id };
    let answer: CoreAnswer | Promise<CoreAnswer>;
    try {
      answer = this.shared.pipeline.answer(core);
    } catch (error) {
      return this.unexpected(core, error);
    }
    if (answer instanceof Promise) {
      answer.then(
        (settled) => this.write(core, settled),
        (error: unknown) => this.unexpected(core, error),
      );
    } else this.write(core, answer);
  }

  failed(result: BodyFailure): void {
    this.write(undefined, fail({}, result.code, result.args));
  }

  private unexpected(core: CoreRequest, error: unknown): void {
    this.shared.logger.error({ reqId: this.id, err: error }, "unexpected error");
    this.write(core, fail({}, "WHS_ERR_INTERNAL"));
  }

  private write(core: CoreRequest | undefined, answer: CoreAnswer): void {
    const { shared, response } = this;
    if (core !== undefined) shared.onAnswer?.(core, answer, performance.now() - this.started);
    const out = answerJson(shared.logger, answer, this.id);
    out.headers["content-length"] = String(Buffer.byteLength(out.body));
    response.writeHead(out.status, out.headers);
    response.end(out.body);
    const ms = performance.now() - this.started;
    if (shared.metrics !== undefined) countResponse(shared.metrics, out.info, out.status, ms / 1000);
    if (shared.logger.isLevelEnabled("info")) logAccess(shared.logger, { reqId: this.id, method: "POST", url: this.url, ip: shared.clientIp(this.request), status: out.status, ms, info: out.info });
  }
}

/**
 * The body's bytes in one buffer. The raw body outlives the request (dedupe, the inspector),
 * so it must own its memory: Node's HTTP parser copies each body chunk into a buffer of its
 * own (`Buffer::Copy` in `on_body`), and a single such chunk is used as it is (most webhook
 * bodies arrive in one); anything else is copied together.
 * https://github.com/nodejs/node/blob/v20.x/src/node_http_parser.cc
 */
function wholeBody(chunks: Buffer[], length: number): Buffer {
  const first = chunks[0] as Buffer;
  if (chunks.length === 1 && first.byteOffset === 0 && first.buffer.byteLength === length) return first;
  return Buffer.concat(chunks, length);
}

function onData(this: Carrying, chunk: Buffer): void {
  this[EXCHANGE]?.received(chunk);
}

function onEnd(this: Carrying): void {
  this[EXCHANGE]?.settle("whole");
}

function onError(this: Carrying): void {
  this[EXCHANGE]?.settle(BROKEN);
}

function bodyRead(read: BodyResult<ReadBody>, exchange: Exchange): void {
  if (!read.ok) return exchange.failed(read);
  exchange.answer(read.value.rawBody, read.value.body);
}
