/**
 * @module The body parser that keeps the exact bytes: signatures are computed over what was
 * received (inflated when compressed), never over a re-serialized body. It reads every media
 * type a webhook of the current config accepts (JSON; a form for the platforms that post one)
 * and answers 415 for the rest; the inflate, the decoders and their depth limit are the core's
 * (`core/read-body.ts`). Fastify has already held the received bytes to `bodyLimit`; the
 * inflated ones are held to it here, so a decompression bomb stops at the limit with 413.
 * Inflating in the parser, not in a `preParsing` stream, spares every request a hook.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RuntimeHolder } from "../runtime/runtime.js";
import { readBody, type BodyLimits, type BodyResult, type ReadBody } from "../core/read-body.js";
import { WebhookServeError } from "../errors.js";
import { keepBody } from "./request-slots.js";

type Done = (err: Error | null, body?: unknown) => void;

export function useRawBodyParser(app: FastifyInstance, holder: RuntimeHolder, limits: BodyLimits): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, received: Buffer, done: Done) => {
    readBody(received, request.headers, limits, holder.current.decoders, bodyRead, { request, done });
  };
  // JSON by its exact name first (Fastify's fastest lookup), then everything else.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parse);
  app.addContentTypeParser("*", { parseAs: "buffer" }, parse);
}

function bodyRead(read: BodyResult<ReadBody>, { request, done }: { request: FastifyRequest; done: Done }): void {
  if (!read.ok) return done(new WebhookServeError(read.code, read.args));
  keepBody(request, read.value);
  done(null, read.value.body);
}
