/**
 * @module Body parser that keeps the exact bytes: signatures are computed over what was
 * received, never over re-serialized JSON. Accepts application/json and any `+json` type;
 * the parse and its depth limit are the core's (`core/read-body.ts`).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { JSON_TYPE, parseJson } from "../core/read-body.js";
import { WebhookServeError } from "../errors.js";

export function useRawJsonParser(app: FastifyInstance, maxDepth: number): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    request.rawBody = body;
    const parsed = parseJson(body, maxDepth);
    if (!parsed.ok) return done(new WebhookServeError(parsed.code, parsed.args));
    done(null, parsed.value);
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parse);
  // Every other JSON type, by the rule the in-memory carriers use.
  app.addContentTypeParser(JSON_TYPE, { parseAs: "buffer" }, parse);
}
