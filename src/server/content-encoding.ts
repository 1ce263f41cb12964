/**
 * @module Compressed request bodies (`Content-Encoding: gzip`, `deflate`, `br`), inflated
 * before the JSON parser so `server.bodyLimit` applies to the inflated bytes: a bomb stops at
 * the limit with 413 (the decoders are the core's, `core/read-body.ts`). Rasa sends action calls compressed when
 * COMPRESS_ACTION_SERVER_REQUEST=true (rasa-sdk inflates them in `rasa_sdk/endpoint.py`).
 * Signatures are checked over the inflated bytes: what a sender serializes and signs before
 * compressing. Any other encoding answers 415 instead of being read as plain JSON.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4
 * @see https://fastify.dev/docs/latest/Reference/Hooks/#preparsing
 */
import { pipeline, type Readable, type Transform } from "node:stream";
import type { FastifyInstance } from "fastify";
import { decoderFor } from "../core/read-body.js";
import { WebhookServeError } from "../errors.js";

export function useContentEncoding(fastify: FastifyInstance): void {
  fastify.addHook("preParsing", (request, reply, payload, done) => {
    const header = request.headers["content-encoding"];
    const found = decoderFor(header);
    if (found === undefined) return done(null, payload);
    if ("ok" in found) return done(new WebhookServeError(found.code, found.args));
    const { name } = found;
    const decoder = found.stream() as Transform & { receivedEncodedLength?: number };
    // Fastify compares this with Content-Length; the inflated length would never match.
    const length = Number(request.headers["content-length"]);
    if (Number.isFinite(length)) decoder.receivedEncodedLength = length;
    decoder.once("error", (error: Error & { encoding?: string }) => (error.encoding = name));
    pipeline(payload as Readable, decoder, () => {});
    // Past the limit Fastify stops reading: free the inflater with the answer.
    reply.raw.once("close", () => decoder.destroy());
    done(null, decoder);
  });
}
