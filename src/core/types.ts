/**
 * @module What goes into the core and what comes out: plain values, no transport. The HTTP
 * server (its direct webhook path and its Fastify route), the serverless entries, `send` and
 * `webhook-serve/testing` build a CoreRequest and carry the CoreAnswer back the way their
 * transport needs.
 */
import type { Headers, Reply, Turn } from "../types.js";

/** One HTTP request, already read and parsed. */
export interface CoreRequest {
  method: string;
  /** URL path, without the query string. */
  path: string;
  headers: Headers;
  /** The exact body bytes (signatures are checked over them); empty for none. */
  rawBody: Buffer;
  /** The decoded body; undefined for none. */
  body: unknown;
  /** Which decoder read it (`json`, `form`); undefined for none. */
  bodyType?: string;
  /** The query string, without `?`; "" or undefined for none. */
  query?: string;
  /** The request id every log line for this request carries. */
  id: string;
  /** Epoch ms, for signature timestamps. @default Date.now() */
  now?: number;
  /** The inspector's replay: runs the handlers now, never answered from the dedupe store. */
  replay?: boolean;
}

/** What happened, for the access log, metrics, the testing helper and the inspector. */
export interface RequestInfo {
  webhook?: string;
  route?: string;
  platform?: string;
  outcome?: "timeout" | "error" | "fallback" | "no-route" | "limited" | "duplicate";
  /** Turned away by the route's concurrency limit (outcome may then say how its fallback did). */
  limited?: true;
  /** The turn the adapter parsed (undefined when the request never got that far). */
  turn?: Turn;
  /** What the target produced, normalized; null: no reply; undefined: no target ran. */
  reply?: Reply | null;
  /** With `observe` (the inspector): what the handler logged through `context.log`. */
  logs?: { level: string; msg?: string; data?: unknown }[];
  /** With `observe`: ms spent in the checks (platform, auth, schema), the handler, and the reply (serialize, response check). */
  timing?: { checks: number; handler: number; reply: number };
}

/** The answer, ready to be written by any transport. */
export interface CoreAnswer {
  status: number;
  /** Extra response headers (allow, www-authenticate, connection). */
  headers?: Record<string, string>;
  /** The JSON body; undefined for an empty answer. */
  body: unknown;
  /** `body` as JSON text, when the platform adapter wrote it (AdapterResponse.json). */
  json?: string | undefined;
  /** A body that is not JSON (XML, plain text), its media type in `headers`. */
  text?: string;
  info: RequestInfo;
}
