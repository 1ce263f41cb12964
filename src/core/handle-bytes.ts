/**
 * @module The core for carriers that hold a whole request in memory (the serverless entries,
 * `send`, `webhook-serve/testing`): bytes in, the JSON text out, with the same body rules,
 * probes and access-log line as the server, and no HTTP framework booted.
 */
import type { Headers } from "../types.js";
import { logAccess } from "./access-log.js";
import { answerJson, type JsonAnswer } from "./answer-json.js";
import { fail, type Pipeline } from "./handle.js";
import { readWholeBody } from "./read-body.js";
import { pathOf } from "./request-path.js";
import type { CoreAnswer } from "./types.js";

interface BytesRequest {
  method: string;
  /** Path and query string. */
  url: string;
  /** Lower-case names. */
  headers: Headers;
  body?: Buffer;
  /** The client's address, for the access log. */
  ip?: string;
  /** Epoch ms, for signature timestamps. @default Date.now() */
  now?: number;
  /** The inspector's replay (no dedupe). */
  replay?: boolean;
}

export type BytesAnswer = JsonAnswer;

let next = 0;

export async function handleBytes(pipeline: Pipeline, request: BytesRequest): Promise<BytesAnswer> {
  const started = performance.now();
  const id = `req-${(++next).toString(36)}`;
  const path = pathOf(request.url);
  let answer: CoreAnswer;
  try {
    answer = await route(pipeline, request, path, id);
  } catch (error) {
    pipeline.logger.error({ reqId: id, err: error }, "unexpected error");
    answer = fail({}, "WHS_ERR_INTERNAL");
  }
  const out = answerJson(pipeline.logger, answer, id);
  logAccess(pipeline, { reqId: id, method: request.method, url: request.url, ip: request.ip, status: out.status, ms: performance.now() - started, info: answer.info });
  return out;
}

async function route(pipeline: Pipeline, request: BytesRequest, path: string, id: string): Promise<CoreAnswer> {
  if (request.method === "GET" && path === "/healthz") return { status: 200, body: { status: "ok" }, info: {} };
  if (request.method === "GET" && path === "/readyz") {
    return pipeline.state.draining ? { status: 503, body: { status: "draining" }, info: {} } : { status: 200, body: { status: "ready" }, info: {} };
  }
  const runtime = pipeline.runtime;
  // As Fastify (and HTTP semantics): a GET or HEAD body is not read.
  const bytes = request.method === "GET" || request.method === "HEAD" ? undefined : request.body;
  const read = readWholeBody(request.headers, bytes, runtime.config.server, runtime.decoders);
  if (!read.ok) return fail({}, read.code, read.args);
  const { rawBody, body, bodyType } = read.value;
  const at = request.url.indexOf("?");
  const query = at === -1 ? "" : request.url.slice(at + 1);
  return pipeline.handle({ method: request.method, path, headers: request.headers, rawBody, body, id, query, ...(bodyType !== undefined ? { bodyType } : {}), ...(request.now !== undefined ? { now: request.now } : {}), ...(request.replay ? { replay: true } : {}) });
}
