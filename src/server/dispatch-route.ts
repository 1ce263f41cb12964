/**
 * @module The Fastify route over the core: the request as Fastify parsed it goes in, the
 * core's answer comes out as status, headers and body. A path that is no webhook and no
 * listing goes to the app's not-found handler, so an app that mounts the plugin without a
 * prefix keeps its own 404s.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Pipeline } from "../core/handle.js";
import type { CoreAnswer, CoreRequest, RequestInfo } from "../core/types.js";

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** The body's decoder (`json`, `form`); undefined for none. */
    bodyType?: string;
    /** The core's account of the request, for the access log and metrics. */
    whs: RequestInfo | null;
  }
}

const EMPTY = Buffer.alloc(0);
const JSON_TYPE = "application/json; charset=utf-8";

/** Told of every answer, with the ms it took (the live inspector records it). */
export type AnswerObserver = (request: CoreRequest, answer: CoreAnswer, ms: number) => void;

/** The handler of the plugin's catch-all route; `prefix` is the plugin's (stripped from paths). */
export function dispatchRoute(pipeline: Pipeline, prefix: string, onAnswer?: AnswerObserver) {
  const send = (request: FastifyRequest, reply: FastifyReply, core: CoreRequest, answer: CoreAnswer, started: number): void => {
    onAnswer?.(core, answer, performance.now() - started);
    request.whs = answer.info;
    reply.code(answer.status);
    if (answer.headers !== undefined) reply.headers(answer.headers);
    // The adapter wrote the text itself (AdapterResponse.json: no second stringify; or XML, text).
    if (answer.text !== undefined) reply.send(answer.text);
    else if (answer.json !== undefined) reply.header("content-type", JSON_TYPE).send(answer.json);
    else reply.send(answer.body);
  };
  // Not async: a static reply is sent in the same tick it was parsed, with no promise in between.
  return function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const started = onAnswer === undefined ? 0 : performance.now();
    const { url } = request;
    const at = url.indexOf("?");
    const full = at === -1 ? url : url.slice(0, at);
    const path = prefix === "" ? full : full.slice(prefix.length);
    const runtime = pipeline.holder.current;
    // During the drain every request gets the core's 503 (and its connection closed); the
    // inspector records a POST to a wrong path (a platform console pointed at the wrong URL).
    if (!pipeline.state.draining && !runtime.webhooks.has(path) && !runtime.listings.has(path) && (onAnswer === undefined || request.method !== "POST")) {
      reply.callNotFound();
      return undefined;
    }
    const core: CoreRequest = {
      method: request.method,
      path,
      headers: request.headers,
      rawBody: request.rawBody ?? EMPTY,
      body: request.body,
      id: request.id,
      query: at === -1 ? "" : url.slice(at + 1),
      ...(request.bodyType !== undefined ? { bodyType: request.bodyType } : {}),
    };
    const answer = pipeline.answer(core);
    if (answer instanceof Promise) return answer.then((a) => send(request, reply, core, a, started));
    send(request, reply, core, answer, started);
    return undefined;
  };
}
