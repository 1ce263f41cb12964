/**
 * @module What the plugin keeps per request between Fastify's steps (the body's bytes from the
 * parser to the route, the core's account from the route to the onResponse hook): two symbol
 * slots on Node's request object. Not Fastify's `decorateRequest`: each request decorator is a
 * keyed store in a loop in Fastify's Request constructor, megamorphic once there are several,
 * a map transition in V8's runtime each (~15,000 instructions per request for three, measured
 * under callgrind). A store at one site of ours stays monomorphic.
 */
import type { FastifyRequest } from "fastify";
import type { ReadBody } from "../core/read-body.js";
import type { RequestInfo } from "../core/types.js";

const BODY = Symbol("webhook-serve.body");
const INFO = Symbol("webhook-serve.info");

interface Slots {
  [BODY]?: ReadBody;
  [INFO]?: RequestInfo;
}

/** The body as read: exact bytes, decoded value, decoder. */
export function keepBody(request: FastifyRequest, read: ReadBody): void {
  (request.raw as Slots)[BODY] = read;
}

export function bodyOf(request: FastifyRequest): ReadBody | undefined {
  return (request.raw as Slots)[BODY];
}

/** The core's account of the request, for the access log and metrics. */
export function keepInfo(request: FastifyRequest, info: RequestInfo): void {
  (request.raw as Slots)[INFO] = info;
}

export function infoOf(request: FastifyRequest): RequestInfo | undefined {
  return (request.raw as Slots)[INFO];
}
