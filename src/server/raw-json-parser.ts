/**
 * @module Body parser that keeps the exact bytes: signatures are computed over what was
 * received (inflated when compressed), never over re-serialized JSON. Accepts
 * application/json and any `+json` type; the inflate, the parse and its depth limit are the
 * core's (`core/read-body.ts`). Fastify has already held the received bytes to `bodyLimit`;
 * the inflated ones are held to it here, so a decompression bomb stops at the limit with 413.
 * Inflating in the parser, not in a `preParsing` stream, spares every request a hook.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { JSON_TYPE, readJson } from "../core/read-body.js";
import { WebhookServeError } from "../errors.js";

export function useRawJsonParser(app: FastifyInstance, limits: { bodyLimit: number; maxDepth: number }): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, received: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    readJson(
      received,
      request.headers["content-encoding"],
      limits,
      (read) => {
        if (!read.ok) return done(new WebhookServeError(read.code, read.args));
        request.rawBody = read.value.rawBody;
        done(null, read.value.body);
      },
      undefined,
    );
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parse);
  // Every other JSON type, by the rule the in-memory carriers use.
  app.addContentTypeParser(JSON_TYPE, { parseAs: "buffer" }, parse);
}
