/**
 * @module The Fastify route over the core: the request as Fastify parsed it goes in, the
 * core's answer comes out as status, headers and body. Nothing else happens here.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Pipeline } from "../core/handle.js";
import { pathOf } from "../core/request-path.js";
import type { CoreAnswer, CoreRequest, RequestInfo } from "../core/types.js";

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** The core's account of the request, for the access log and metrics. */
    whs: RequestInfo | null;
  }
}

const EMPTY = Buffer.alloc(0);

/** Told of every answer, with the ms it took (the live inspector records it). */
export type AnswerObserver = (request: CoreRequest, answer: CoreAnswer, ms: number) => void;

export function dispatchRoute(pipeline: Pipeline, onAnswer?: AnswerObserver) {
  const send = (request: FastifyRequest, reply: FastifyReply, core: CoreRequest, answer: CoreAnswer, started: number): void => {
    onAnswer?.(core, answer, performance.now() - started);
    request.whs = answer.info;
    reply.code(answer.status);
    if (answer.headers !== undefined) reply.headers(answer.headers);
    reply.send(answer.body);
  };
  // Not async: a static reply is sent in the same tick it was parsed, with no promise in between.
  return function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const started = onAnswer === undefined ? 0 : performance.now();
    const core: CoreRequest = {
      method: request.method,
      path: pathOf(request.url),
      headers: request.headers,
      rawBody: request.rawBody ?? EMPTY,
      body: request.body,
      id: request.id,
    };
    const answer = pipeline.answer(core);
    if (answer instanceof Promise) return answer.then((a) => send(request, reply, core, a, started));
    send(request, reply, core, answer, started);
    return undefined;
  };
}
