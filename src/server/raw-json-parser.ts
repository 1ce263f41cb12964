/**
 * @module Body parser that keeps the exact bytes: signatures are computed over what was
 * received, never over re-serialized JSON. Accepts application/json and any `+json` type.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { WebhookServeError } from "../errors.js";

export function useRawJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    request.rawBody = body;
    try {
      done(null, JSON.parse(body.toString("utf8")));
    } catch {
      done(new WebhookServeError("WHS_ERR_BODY_NOT_JSON"));
    }
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parse);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json(\s*;.*)?$/i, { parseAs: "buffer" }, parse);
}
