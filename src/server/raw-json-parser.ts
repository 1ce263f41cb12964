/**
 * @module Body parser that keeps the exact bytes: signatures are computed over what was
 * received, never over re-serialized JSON. Accepts application/json and any `+json` type.
 * Bodies nested deeper than `server.maxDepth` are refused here, before any route or template
 * walks them.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { WebhookServeError } from "../errors.js";

export function useRawJsonParser(app: FastifyInstance, maxDepth: number): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    request.rawBody = body;
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      return done(new WebhookServeError("WHS_ERR_BODY_NOT_JSON"));
    }
    if (nestedDeeper(value, maxDepth)) return done(new WebhookServeError("WHS_ERR_BODY_TOO_DEEP", [maxDepth]));
    done(null, value);
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parse);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json(\s*;.*)?$/i, { parseAs: "buffer" }, parse);
}

/**
 * True when objects/arrays nest more than `levels` deep (`{}` is one level). Stops at the
 * limit, so the walk itself never recurses deeper than `levels`.
 * @example nestedDeeper({ a: { b: [1] } }, 2) // true: three levels
 */
export function nestedDeeper(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestedDeeper(value[i], levels - 1)) return true;
    return false;
  }
  for (const key in value) if (nestedDeeper((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}
