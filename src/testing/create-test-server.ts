/**
 * `createTestServer()`: the core loaded in-process, with `send()` building each platform's
 * request (sample, auth, signature) and `request()` sending one as it is.
 */
import type { Config, WebhookConfig } from "../config/types.js";
import { buildSampleRequest, type SampleRequestInput } from "../core/build-sample-request.js";
import { handleBytes, type BytesAnswer } from "../core/handle-bytes.js";
import type { Pipeline } from "../core/handle.js";
import { loadPipeline, type PipelineLoadOptions } from "../core/load-pipeline.js";
import { createLogger } from "../logging/logger.js";
import type { Reply, Turn } from "../types.js";

export interface SendInput extends SampleRequestInput {
  /** Webhook path; optional when the config has one webhook. */
  path?: string;
}

export interface SendResult {
  status: number;
  /** Parsed JSON body (undefined when empty; the text when not JSON). */
  body: unknown;
  headers: Record<string, string>;
  /** What the route's target returned, normalized (`"hi"` → `{ text: "hi" }`); null: no reply; undefined: no target ran. */
  reply: Reply | null | undefined;
  /** The turn the adapter parsed from the request, as your handler saw it. */
  turn: Turn | undefined;
  /** The matched route's label (`intent=order.pizza`, as `routes` prints it); undefined: none matched. */
  route: string | undefined;
}

/** A request you build yourself: a saved platform payload, a wrong signature, no auth. */
export interface RawRequest {
  /** Webhook path; optional when the config has one webhook. */
  path?: string;
  /** @default "POST" */
  method?: string;
  /** Sent as they are (lower-case names); `content-type: application/json` unless given. */
  headers?: Record<string, string>;
  /** An object or array is sent as JSON; a string or Buffer as its bytes. */
  body?: unknown;
}

export interface TestServer {
  /** A turn built from the platform's sample request, with the auth the webhook requires. */
  send(input: SendInput): Promise<SendResult>;
  /** Exactly the request you give: no sample, no auth added. */
  request(input: RawRequest): Promise<SendResult>;
  close(): Promise<void>;
  /** The core it drives (`pipeline.handle(...)` for a request send() does not build). */
  pipeline: Pipeline;
}

export interface TestServerOptions extends PipelineLoadOptions {
  /** Fixed clock for signatures (epoch ms). @default Date.now() */
  now?: () => number;
}

/**
 * Load a config (file path or object, as in YAML; handler paths relative to `options.dir`)
 * and return a server you can `send()` turns to. Logs are silent unless you pass a logger.
 */
export async function createTestServer(config: string | Config | Record<string, unknown>, options: TestServerOptions = {}): Promise<TestServer> {
  // Replies are checked against the platform's response schema, as under --watch: a test must
  // fail on a reply the platform would refuse (pass checkReplies: false to test that yourself).
  const pipeline = await loadPipeline(config, { checkReplies: true, ...options, logger: options.logger ?? createLogger({ level: "silent", pretty: false }) });
  const webhooks = pipeline.runtime.config.webhooks;

  return {
    pipeline,
    async send(input) {
      const webhook = pickWebhook(webhooks, input.path);
      const { path: _path, ...turn } = input;
      const now = options.now?.() ?? Date.now();
      const request = buildSampleRequest(webhook, turn, now);
      return result(await handleBytes(pipeline, { method: "POST", url: input.path ?? webhook.path, headers: request.headers, body: Buffer.from(request.payload), now }));
    },
    async request(input) {
      const path = input.path ?? pickWebhook(webhooks, undefined).path;
      const body = input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(typeof input.body === "string" ? input.body : JSON.stringify(input.body));
      const headers = { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...input.headers };
      const now = options.now?.() ?? Date.now();
      return result(await handleBytes(pipeline, { method: input.method ?? "POST", url: path, headers, ...(body !== undefined ? { body } : {}), now }));
    },
    close: () => pipeline.close(),
  };
}

function result(res: BytesAnswer): SendResult {
  return { status: res.status, body: res.body === "" ? undefined : (JSON.parse(res.body) as unknown), headers: res.headers, reply: res.info.reply, turn: res.info.turn, route: res.info.route };
}

function pickWebhook(webhooks: readonly WebhookConfig[], path: string | undefined): WebhookConfig {
  if (path === undefined) {
    if (webhooks.length === 1 && webhooks[0]) return webhooks[0];
    throw new Error(`send(): the config has ${webhooks.length} webhooks, pass a path (${webhooks.map((w) => w.path).join(", ")})`);
  }
  const found = webhooks.find((w) => w.path === path);
  if (!found) throw new Error(`send(): no webhook at ${path} (have: ${webhooks.map((w) => w.path).join(", ")})`);
  return found;
}
