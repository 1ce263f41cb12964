/**
 * @module The Fastify route over the core: the request as Fastify parsed it goes in, the
 * core's answer comes out as status, headers and body. A path that is no webhook and no
 * listing goes to the app's not-found handler, so an app that mounts the plugin without a
 * prefix keeps its own 404s.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Pipeline } from "../core/handle.js";
import { answerJson } from "../core/answer-json.js";
import type { CoreAnswer, CoreRequest } from "../core/types.js";
import type { ResponseObserver } from "./log-responses.js";
import { bodyOf, keepInfo } from "./request-slots.js";

const EMPTY = Buffer.alloc(0);

/** Told of every answer, with the ms it took (the live inspector records it). */
export type AnswerObserver = (request: CoreRequest, answer: CoreAnswer, ms: number) => void;

/**
 * The handler of the plugin's webhook routes; `prefix` is the plugin's (stripped from paths).
 * `observe` logs and counts each answer once it is sent.
 */
export function dispatchRoute(pipeline: Pipeline, prefix: string, onAnswer: AnswerObserver | undefined, observe: ResponseObserver | undefined) {
  const { logger } = pipeline;
  const send = (request: FastifyRequest, reply: FastifyReply, core: CoreRequest, answer: CoreAnswer, started: number): void => {
    onAnswer?.(core, answer, performance.now() - started);
    keepInfo(request, answer.info);
    // The text the in-memory carriers write too (a reply that cannot become JSON is a 500 there).
    const out = answerJson(logger, answer, request.id);
    reply.code(out.status);
    // reply.type: a named store in Fastify; reply.header's keyed one is megamorphic (a map
    // transition in V8's runtime per request), and only the rare extra headers take it.
    for (const name in out.headers) {
      if (name === "content-type") reply.type(out.headers[name] as string);
      else reply.header(name, out.headers[name]);
    }
    reply.send(out.body === "" ? undefined : out.body);
    observe?.(request, reply);
  };
  // Not async: a static reply is sent in the same tick it was parsed, with no promise in between.
  return function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const started = onAnswer === undefined ? 0 : performance.now();
    const { url } = request;
    const at = url.indexOf("?");
    const full = at === -1 ? url : url.slice(0, at);
    const path = prefix === "" ? full : full.slice(prefix.length);
    const runtime = pipeline.runtime;
    // Once the listener closed every request gets the core's 503 (and its connection closed); the
    // inspector records a POST to a wrong path (a platform console pointed at the wrong URL).
    if (!pipeline.state.closed && !runtime.webhooks.has(path) && !runtime.listings.has(path) && (onAnswer === undefined || request.method !== "POST")) {
      reply.callNotFound();
      return undefined;
    }
    const read = bodyOf(request);
    // Every key always present: one object shape for every request.
    const core: CoreRequest = {
      method: request.method,
      path,
      headers: request.headers,
      rawBody: read === undefined ? EMPTY : read.rawBody,
      body: request.body,
      bodyType: read?.bodyType,
      id: request.id,
      query: at === -1 ? "" : url.slice(at + 1),
    };
    const answer = pipeline.answer(core);
    if (answer instanceof Promise) return answer.then((a) => send(request, reply, core, a, started));
    send(request, reply, core, answer, started);
    return undefined;
  };
}
