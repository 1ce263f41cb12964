/**
 * @module Google Cloud Functions (Node.js runtime, Functions Framework) and Cloud Run entry
 * point: a `(req, res)` function running the webhook-serve pipeline through `fastify.inject`.
 * The Functions Framework has already read and parsed JSON bodies into `req.body`; it keeps
 * the exact bytes in `req.rawBody`, which is what signatures are checked against. A plain
 * Node `http` request (Cloud Run without the framework) is read from the stream.
 * @see https://cloud.google.com/functions/docs/writing/write-http-functions
 * @see https://github.com/GoogleCloudPlatform/functions-framework-nodejs/blob/main/docs/generated/api.md (rawBody)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config/types.js";
import { createServer, type CreateServerOptions } from "../server/create-server.js";
import { errorBody, errorCodes } from "../errors.js";

/** Node's request, plus what Express / the Functions Framework add. */
export type CloudRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; originalUrl?: string };

/** Hop-by-hop and length headers are recomputed by inject and by Node. */
const SKIP_REQUEST = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);
const SKIP_RESPONSE = new Set(["transfer-encoding", "connection", "keep-alive"]);

/**
 * @example
 * // index.js, deployed with config.yaml and handlers/
 * import { createCloudFunction } from "webhook-serve/serverless";
 * export const webhook = createCloudFunction("./config.yaml");
 * // gcloud functions deploy webhook --gen2 --runtime nodejs22 --trigger-http --entry-point webhook
 */
export function createCloudFunction(config: string | Config | Record<string, unknown>, options: CreateServerOptions = {}): (req: CloudRequest, res: ServerResponse) => Promise<void> {
  let app: Promise<FastifyInstance> | undefined;
  return async (req, res) => {
    try {
      app ??= createServer(config, options).catch((error: unknown) => {
        app = undefined;
        throw error;
      });
      const fastify = await app;
      const payload = await bodyOf(req, fastify.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT);
      if (payload === TOO_LARGE) {
        // Stop reading at the limit (a plain Cloud Run server has no body limit of its own).
        res.writeHead(errorCodes.WHS_ERR_BODY_TOO_LARGE.status, { "content-type": "application/json; charset=utf-8", connection: "close" });
        res.end(JSON.stringify(errorBody("WHS_ERR_BODY_TOO_LARGE")));
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !SKIP_REQUEST.has(name)) headers[name] = value;
      const result = await fastify.inject({
        method: (req.method ?? "GET") as "POST",
        url: req.originalUrl ?? req.url ?? "/",
        headers,
        ...(payload !== undefined && payload.length > 0 ? { payload } : {}),
        ...(req.socket?.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
      });
      res.statusCode = result.statusCode;
      for (const [name, value] of Object.entries(result.headers)) {
        if (value !== undefined && !SKIP_RESPONSE.has(name)) res.setHeader(name, Array.isArray(value) ? value.map(String) : String(value));
      }
      res.end(result.rawPayload);
    } catch (error) {
      // Config errors and the like: the platform logs stderr; the caller gets a plain 500.
      process.stderr.write(`webhook-serve: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "WHS_ERR_INTERNAL", message: "Internal error" } }));
    }
  };
}

const DEFAULT_BODY_LIMIT = 1_048_576;
const TOO_LARGE = Symbol("too large");

/** The exact request bytes: rawBody when the framework kept them, else the stream (up to `limit`). */
async function bodyOf(req: CloudRequest, limit: number): Promise<Buffer | undefined | typeof TOO_LARGE> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (req.body !== undefined && (req.readableEnded || req.complete)) {
    // Parsed by a framework that kept no raw bytes: signatures cannot be checked exactly.
    if (Buffer.isBuffer(req.body)) return req.body;
    if (typeof req.body === "string") return Buffer.from(req.body);
    return Buffer.from(JSON.stringify(req.body));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return TOO_LARGE; // leaving the loop destroys the stream
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
