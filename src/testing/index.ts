/**
 * @module `webhook-serve/testing`: test your handlers through the real pipeline, in-process
 * (Fastify `inject`, no port), from vitest or node:test (Jest: see the README). `send()` builds the
 * platform's request with the adapter's `sample()`, adds the API key / basic credentials /
 * signature the webhook requires, and returns the HTTP answer plus the normalized reply
 * your handler (or static reply) produced. In the spirit of apiaiwebhook's test client.
 *
 * @example
 * import { createTestServer } from "webhook-serve/testing";
 * const server = await createTestServer("./config.yaml");
 * const res = await server.send({ intent: "weather", params: { city: "Oslo" } });
 * expect(res.reply?.text).toContain("Oslo");
 * await server.close();
 */
import type { Config, WebhookConfig } from "../config/types.js";
import type { CompiledTarget } from "../handlers/invoke-target.js";
import { buildSampleRequest, type SampleRequestInput } from "../server/build-sample-request.js";
import type { App } from "../server/create-app.js";
import { loadApp, type CreateServerOptions } from "../server/create-server.js";
import { createLogger } from "../server/logger.js";
import type { CompiledWebhook, Runtime } from "../server/runtime.js";
import type { Reply, Turn } from "../types.js";

export type { Handler, HandlerContext, HandlerResult, Reply, RichMessage, Turn } from "../types.js";
export { signRequest as sign } from "../auth/sign-request.js";

export interface SendInput extends SampleRequestInput {
  /** Webhook path; optional when the config has one webhook. */
  path?: string;
}

export interface SendResult {
  status: number;
  /** Parsed JSON body (undefined when empty; the text when not JSON). */
  body: unknown;
  headers: Record<string, string | number | string[] | undefined>;
  /** What the route's target returned, normalized (`"hi"` → `{ text: "hi" }`); null: no reply; undefined: no target ran. */
  reply: Reply | null | undefined;
  /** The turn the adapter parsed from the request, as your handler saw it. */
  turn: Turn | undefined;
}

export interface TestServer {
  send(input: SendInput): Promise<SendResult>;
  close(): Promise<void>;
  /** The underlying app (`app.fastify.inject(...)` for anything send() does not cover). */
  app: App;
}

export interface TestServerOptions extends CreateServerOptions {
  /** Fixed clock for signatures (epoch ms). @default Date.now() */
  now?: () => number;
}

/** Ties a target's output to the send() that caused it (every adapter passes headers into the turn). */
const TEST_ID = "x-webhook-serve-test-id";

interface Seen {
  reply?: Reply | null;
  turn?: Turn;
}

/**
 * Load a config (file path or object, as in YAML; handler paths relative to `options.dir`)
 * and return a server you can `send()` turns to. Logs are silent unless you pass a logger.
 */
export async function createTestServer(config: string | Config | Record<string, unknown>, options: TestServerOptions = {}): Promise<TestServer> {
  // Replies are checked against the platform's response schema, as under --watch: a test must
  // fail on a reply the platform would refuse (pass checkReplies: false to test that yourself).
  const app = await loadApp(config, { checkReplies: true, ...options, logger: options.logger ?? createLogger({ level: "silent", pretty: false }) });
  const seen = new Map<string, Seen>();
  app.swap(recording(app.holder.current, seen));
  await app.fastify.ready();
  const webhooks = app.holder.current.config.webhooks;
  let sent = 0;

  return {
    app,
    async send(input) {
      const webhook = pickWebhook(webhooks, input.path);
      const { path: _path, ...turn } = input;
      const request = buildSampleRequest(webhook, turn, options.now?.() ?? Date.now());
      const slot: Seen = {};
      const id = String(++sent);
      seen.set(id, slot);
      const res = await app.fastify
        .inject({ method: "POST", url: input.path ?? webhook.path, payload: request.payload, headers: { ...request.headers, [TEST_ID]: id } })
        .finally(() => seen.delete(id));
      let body: unknown = undefined;
      if (res.body !== "") {
        try {
          body = JSON.parse(res.body);
        } catch {
          body = res.body;
        }
      }
      return { status: res.statusCode, body, headers: res.headers, reply: slot.reply, turn: slot.turn };
    },
    close: () => app.fastify.close(),
  };
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

/** A copy of the runtime whose targets also write what they produced into the request's slot. */
function recording(runtime: Runtime, seen: Map<string, Seen>): Runtime {
  const wrap = (target: CompiledTarget): CompiledTarget => {
    if (target.kind === "reply") {
      return {
        ...target,
        render: (turn) => {
          const reply = target.render(turn);
          record(seen, turn, reply);
          return reply;
        },
      };
    }
    return {
      ...target,
      handler: async (turn, context) => {
        const result = await target.handler(turn, context);
        record(seen, turn, typeof result === "string" ? { text: result } : (result ?? null));
        return result;
      },
    };
  };
  const webhooks = new Map<string, CompiledWebhook>();
  for (const [path, webhook] of runtime.webhooks) {
    webhooks.set(path, {
      ...webhook,
      routes: webhook.routes.map((route) => ({
        ...route,
        target: wrap(route.target),
        ...(route.fallback ? { fallback: wrap(route.fallback) } : {}),
      })),
      ...(webhook.fallback ? { fallback: wrap(webhook.fallback) } : {}),
    });
  }
  return Object.freeze({ ...runtime, webhooks });
}

function record(seen: Map<string, Seen>, turn: Turn, reply: Reply | null): void {
  const id = turn.headers[TEST_ID];
  const slot = seen.get(Array.isArray(id) ? String(id[0]) : String(id));
  if (slot === undefined) return;
  slot.turn = turn;
  slot.reply = reply;
}
