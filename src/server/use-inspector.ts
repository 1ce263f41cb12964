/**
 * @module The live inspector's HTTP side (`--inspect`, on with `--watch`): `GET /_inspect/`
 * (the page), `GET /_inspect/api/turns`, `GET /_inspect/api/events` (server-sent events, one
 * per new turn) and `POST /_inspect/api/turns/<id>/replay` (the recorded request through the
 * current handlers; `{ body }` replaces the body, re-signed as the webhook requires). With an
 * `--inspect-token`, every inspector request must carry it (`x-inspect-token` or `?token=`).
 * Without `--inspect` none of these exist: `/_inspect/` is an unknown path like any other.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SECRET_HEADERS } from "../auth/secret-headers.js";
import { canSign } from "../auth/sign-request.js";
import { authenticatedHeaders } from "../core/build-sample-request.js";
import { handleBytes } from "../core/handle-bytes.js";
import type { Pipeline } from "../core/handle.js";
import type { CoreAnswer } from "../core/types.js";
import { errorBody } from "../errors.js";
import { bodyForPage, changedPaths, summarize, type Inspector, type TurnRecord } from "../inspect/inspector.js";
import { INSPECTOR_PAGE } from "../inspect/page.js";
import { detectAdapter, getAdapter } from "../platforms/registry.js";
import { explainRoutes, formatVerdicts } from "../routing/explain-route.js";
import type { Headers } from "../types.js";
import type { AnswerObserver } from "./dispatch-route.js";

const INSPECT_PREFIX = "/_inspect";
/** Headers a replay recomputes for the (maybe edited) body instead of reusing. */
const AUTH_HEADERS = new Set([...SECRET_HEADERS, "webhook-id", "webhook-timestamp", "content-length"]);

/** Records one answered request. */
function recordAnswer(inspector: Inspector, pipeline: Pipeline, request: { method: string; path: string; headers: Headers; rawBody: Buffer }, answer: CoreAnswer, ms: number, extra: Partial<TurnRecord> = {}): TurnRecord {
  const summary = summarize(answer);
  const webhook = answer.info.webhook !== undefined ? pipeline.runtime.webhooks.get(answer.info.webhook) : undefined;
  const explanation = answer.info.outcome === "no-route" && answer.info.turn && webhook ? formatVerdicts(explainRoutes(webhook.config.routes, answer.info.turn)) : undefined;
  const record = inspector.record({
    method: request.method,
    path: request.path,
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
    body: bodyForPage(request.rawBody),
    ...summary,
    status: answer.status,
    response: answer.body,
    ms: Math.round(ms * 10) / 10,
    ...(explanation ? { explanation } : {}),
    ...extra,
  });
  inspector.keep(record.id, { headers: request.headers, body: request.rawBody });
  return record;
}

/** Registers the inspector's routes; returns what the dispatch route tells of each answer. */
export function useInspector(fastify: FastifyInstance, pipeline: Pipeline, inspector: Inspector, token: string | undefined): AnswerObserver {
  const allowed = (request: FastifyRequest): boolean => {
    if (token === undefined) return true;
    const given = request.headers["x-inspect-token"] ?? (request.query as Record<string, string | undefined>).token;
    if (typeof given !== "string") return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!allowed(request)) return reply.code(401).send(errorBody("WHS_ERR_AUTH_FAILED"));
  };
  fastify.register(async (scope) => {
    scope.addHook("onRequest", guard);
    scope.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(INSPECTOR_PAGE));
    scope.get("/api/turns", async () => ({ turns: inspector.list() }));
    scope.get("/api/events", (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(": connected\n\n");
      const unsubscribe = inspector.subscribe((record) => res.write(`event: turn\ndata: ${JSON.stringify(record)}\n\n`));
      request.raw.once("close", unsubscribe);
    });
    scope.post("/api/turns/:id/replay", async (request, reply) => {
      const id = Number((request.params as { id: string }).id);
      const old = inspector.get(id);
      const original = inspector.original(id);
      if (old === undefined || original === undefined) return reply.code(404).send(errorBody("WHS_ERR_NOT_FOUND"));
      const edited = (request.body as { body?: unknown } | undefined)?.body;
      const payload = edited === undefined ? original.body : Buffer.from(typeof edited === "string" ? edited : JSON.stringify(edited));
      const headers: Record<string, string> = {};
      const webhook = pipeline.runtime.config.webhooks.find((w) => w.path === old.path);
      // A signature webhook-serve cannot make (a public-key scheme) is resent as recorded: it
      // passes while the body is unchanged and its timestamp still in the window.
      const resign = webhook === undefined || canSign(webhook.auth?.signature, getAdapter(webhook.platform) ?? {});
      for (const [name, value] of Object.entries(original.headers)) if (!(resign && AUTH_HEADERS.has(name)) && value !== undefined) headers[name] = String(value);
      if (webhook !== undefined && resign) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(payload.toString("utf8"));
        } catch {
          parsed = undefined;
        }
        const adapter = webhook.platform === "auto" ? detectAdapter(parsed) : getAdapter(webhook.platform);
        if (adapter !== undefined) Object.assign(headers, authenticatedHeaders(webhook, adapter, payload.toString("utf8"), headers));
      }
      const started = performance.now();
      const res = await handleBytes(pipeline, { method: "POST", url: old.path, headers, body: payload });
      const response = res.body === "" ? undefined : (JSON.parse(res.body) as unknown);
      const answer: CoreAnswer = { status: res.status, body: response, info: res.info };
      return recordAnswer(inspector, pipeline, { method: "POST", path: old.path, headers, rawBody: payload }, answer, performance.now() - started, { replayOf: id, changed: changedPaths(old.response, response) });
    });
  }, { prefix: INSPECT_PREFIX });
  return (request, answer, ms) => {
    // Turns and posts to wrong paths; not a browser's GET /favicon.ico.
    if (answer.info.webhook !== undefined || request.method === "POST") recordAnswer(inspector, pipeline, request, answer, ms);
  };
}
