/**
 * @module Google Cloud Functions (Node.js runtime, Functions Framework) and Cloud Run entry
 * point: a `(req, res)` function running the webhook-serve core directly (no HTTP framework).
 * The Functions Framework has already read and parsed JSON bodies into `req.body`; it keeps
 * the exact bytes in `req.rawBody`, which is what signatures are checked against. A plain
 * Node `http` request (Cloud Run without the framework) is read from the stream.
 * @see https://cloud.google.com/functions/docs/writing/write-http-functions
 * @see https://github.com/GoogleCloudPlatform/functions-framework-nodejs/blob/main/docs/generated/api.md (rawBody)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config/types.js";
import { handleBytes } from "../core/handle-bytes.js";
import type { Pipeline } from "../core/handle.js";
import { loadPipeline, type PipelineLoadOptions } from "../core/load-pipeline.js";
import { errorBody, errorCodes } from "../errors.js";

/** Node's request, plus what Express / the Functions Framework add. */
export type CloudRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; originalUrl?: string };

/**
 * @example
 * // index.js, deployed with config.yaml and handlers/
 * import { createCloudFunction } from "webhook-serve/serverless";
 * export const webhook = createCloudFunction("./config.yaml");
 * // gcloud functions deploy webhook --gen2 --runtime nodejs22 --trigger-http --entry-point webhook
 */
export function createCloudFunction(config: string | Config | Record<string, unknown>, options: PipelineLoadOptions = {}): (req: CloudRequest, res: ServerResponse) => Promise<void> {
  let core: Promise<Pipeline> | undefined;
  return async (req, res) => {
    try {
      core ??= loadPipeline(config, options).catch((error: unknown) => {
        core = undefined;
        throw error;
      });
      const pipeline = await core;
      const payload = await bodyOf(req, pipeline.runtime.config.server.bodyLimit);
      if (payload === TOO_LARGE) {
        // Stop reading at the limit (a plain Cloud Run server has no body limit of its own).
        res.writeHead(errorCodes.WHS_ERR_BODY_TOO_LARGE.status, { "content-type": "application/json; charset=utf-8", connection: "close" });
        res.end(JSON.stringify(errorBody("WHS_ERR_BODY_TOO_LARGE")));
        return;
      }
      const result = await handleBytes(pipeline, {
        method: req.method ?? "GET",
        url: req.originalUrl ?? req.url ?? "/",
        headers: req.headers,
        ...(payload !== undefined ? { body: payload } : {}),
        ...(req.socket?.remoteAddress ? { ip: req.socket.remoteAddress } : {}),
      });
      res.writeHead(result.status, result.headers);
      res.end(result.body);
    } catch (error) {
      // Config errors and the like: the platform logs stderr; the caller gets a plain 500.
      process.stderr.write(`webhook-serve: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "WHS_ERR_INTERNAL", message: "Internal error" } }));
    }
  };
}

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
