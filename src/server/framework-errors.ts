/**
 * @module Answers Fastify and Node give before our route runs, in the error table's format:
 * unknown methods and paths (not-found handler), malformed URLs (frameworkErrors), and
 * HTTP-level client errors such as a request not received within `requestTimeout`
 * (clientErrorHandler, written to the socket because no request object exists yet).
 * @see https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody, errorCodes, type ErrorCode } from "../errors.js";
import { pathOf } from "../core/request-path.js";
import type { RuntimeHolder } from "../runtime/runtime.js";
import type { ResponseObserver } from "./log-responses.js";

/** 405 for a method Fastify does not route (PROPFIND, …) on a webhook path; 404 elsewhere. `prefix`: the plugin's. */
export function notFoundHandler(holder: RuntimeHolder, prefix: string, observe: ResponseObserver | undefined) {
  return (request: FastifyRequest, reply: FastifyReply): void => {
    const path = pathOf(request.url);
    if (path.startsWith(prefix) && holder.current.webhooks.has(path.slice(prefix.length))) {
      reply.header("allow", "POST");
      send(reply, "WHS_ERR_METHOD_NOT_ALLOWED", [request.method]);
    } else send(reply, "WHS_ERR_NOT_FOUND");
    observe?.(request, reply);
  };
}

/** Malformed URLs (`/%zz`) and other errors Fastify raises while routing. */
export function frameworkErrors(observe: ResponseObserver | undefined) {
  return (_error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    send(reply, "WHS_ERR_BAD_REQUEST");
    observe?.(request, reply);
  };
}

/** Node's parser gave up on a connection: a timeout, oversized headers, bytes that are not HTTP. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code: ErrorCode =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "WHS_ERR_REQUEST_TIMEOUT" : error.code === "HPE_HEADER_OVERFLOW" ? "WHS_ERR_HEADERS_TOO_LARGE" : "WHS_ERR_BAD_REQUEST";
  const { status } = errorCodes[code];
  const body = JSON.stringify(errorBody(code));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

function send(reply: FastifyReply, code: ErrorCode, args?: readonly (string | number)[]): FastifyReply {
  return reply.code(errorCodes[code].status).send(errorBody(code, args));
}
