/**
 * @module The live inspector's HTTP side (`--inspect`, on with `--watch`): `GET /_inspect/`
 * (the page), `GET /_inspect/api/turns`, `GET /_inspect/api/events` (server-sent events, one
 * per new turn) and `POST /_inspect/api/turns/<id>/replay` (the recorded request through the
 * current handlers; `{ body }` replaces the body, re-signed as the webhook requires) and
 * `POST /_inspect/api/session` (sets the token's cookie). Who may call them: inspector-guard.ts.
 * Without `--inspect` none of these exist: `/_inspect/` is an unknown path like any other.
 */
import type { ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SECRET_HEADERS } from "../auth/secret-headers.js";
import { canSign } from "../auth/sign-request.js";
import { collectSecretHeaders } from "../config/collect-secrets.js";
import { authenticatedHeaders } from "../core/build-sample-request.js";
import { handleBytes } from "../core/handle-bytes.js";
import type { Pipeline } from "../core/handle.js";
import type { CoreAnswer } from "../core/types.js";
import { errorBody, errorCodes } from "../errors.js";
import { bodyForPage, changedPaths, summarize, type Inspector, type TurnRecord } from "../inspect/inspector.js";
import { INSPECTOR_PAGE } from "../inspect/page.js";
import { INSPECTOR_HEADERS } from "../inspect/page-headers.js";
import { detectAdapter, getAdapter } from "../platforms/registry.js";
import { explainRoutes, formatVerdicts } from "../routing/explain-route.js";
import type { Headers } from "../types.js";
import type { AnswerObserver } from "./dispatch-route.js";
import { COOKIE, createInspectorGuard } from "./inspector-guard.js";

const INSPECT_PREFIX = "/_inspect";
/** Headers a replay recomputes for the (maybe edited) body instead of reusing. */
const AUTH_HEADERS = new Set([...SECRET_HEADERS, "webhook-id", "webhook-timestamp", "content-length"]);
/** An `/events` reader this far behind has stopped reading: it is dropped, not buffered for. */
const SLOW_READER_BYTES = 1 << 20;
const AUTH_CODES = new Set(["WHS_ERR_AUTH_FAILED", "WHS_ERR_AUTH_MISSING"]);

export interface InspectorOptions {
  store: Inspector;
  token?: string;
  /** Host names besides loopback the inspector answers on (`--inspect-host`). */
  hosts?: readonly string[];
}

/** Records one answered request: best-effort, it never fails the request it records. */
function recordAnswer(inspector: Inspector, pipeline: Pipeline, request: { method: string; path: string; headers: Headers; rawBody: Buffer }, answer: CoreAnswer, ms: number, extra: Partial<TurnRecord> = {}): TurnRecord | undefined {
  try {
    return tryRecord(inspector, pipeline, request, answer, ms, extra);
  } catch (error) {
    pipeline.logger.warn({ err: error }, "inspector: could not record a turn");
    return undefined;
  }
}

function tryRecord(inspector: Inspector, pipeline: Pipeline, request: { method: string; path: string; headers: Headers; rawBody: Buffer }, answer: CoreAnswer, ms: number, extra: Partial<TurnRecord>): TurnRecord | undefined {
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
  if (record !== undefined) inspector.keep(record.id, { headers: request.headers, body: request.rawBody });
  return record;
}

/** Registers the inspector's routes; returns what the dispatch route tells of each answer. */
export function useInspector(fastify: FastifyInstance, pipeline: Pipeline, options: InspectorOptions): AnswerObserver {
  const inspector = options.store;
  const guard = createInspectorGuard(options);
  const streams = new Set<ServerResponse>();
  fastify.register(async (scope) => {
    scope.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      reply.headers(INSPECTOR_HEADERS);
      const page = request.method === "GET" && (request.url === INSPECT_PREFIX || request.url.startsWith(`${INSPECT_PREFIX}/?`) || request.url === `${INSPECT_PREFIX}/`);
      const refused = guard.check({ method: request.method, headers: request.raw.headers }, page);
      if (refused !== undefined) return reply.code(errorCodes[refused].status).send(errorBody(refused));
    });
    // An open page must not hold shutdown: its event streams end when the server closes.
    scope.addHook("preClose", async () => {
      for (const res of streams) res.end();
    });
    scope.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(INSPECTOR_PAGE));
    scope.post("/api/session", async (_request, reply) => {
      const cookie = guard.cookieFor();
      if (cookie !== undefined) reply.header("set-cookie", `${COOKIE}=${cookie}; Path=${INSPECT_PREFIX}/; HttpOnly; SameSite=Strict`);
      return { ok: true };
    });
    scope.get("/api/turns", async (_request, reply) => reply.type("application/json; charset=utf-8").send(`{"turns":[${inspector.listJson().join(",")}]}`));
    scope.get("/api/events", (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { ...INSPECTOR_HEADERS, "content-type": "text/event-stream", connection: "keep-alive" });
      res.write(": connected\n\n");
      streams.add(res);
      const unsubscribe = inspector.subscribe((json) => {
        res.write(`event: turn\ndata: ${json}\n\n`);
        if (res.writableLength > SLOW_READER_BYTES) {
          pipeline.logger.warn({ behind: res.writableLength }, "inspector: dropped an /events reader that stopped reading");
          res.destroy();
        }
      });
      request.raw.socket.once("close", () => {
        unsubscribe();
        streams.delete(res);
      });
    });
    scope.post("/api/turns/:id/replay", async (request, reply) => {
      const id = Number((request.params as { id: string }).id);
      const old = inspector.get(id);
      const original = inspector.original(id);
      if (old === undefined || original === undefined) return reply.code(404).send(errorBody("WHS_ERR_NOT_FOUND"));
      const given = (request.body ?? {}) as { body?: unknown; confirm?: unknown };
      // Replaying a turn refused for its credentials signs it with the server's own: only when asked twice.
      const refusedForAuth = AUTH_CODES.has(String((old.response as { error?: { code?: unknown } } | undefined)?.error?.code));
      if (refusedForAuth && given.confirm !== true) return reply.code(409).send(errorBody("WHS_ERR_REPLAY_NEEDS_CONFIRM"));
      const edited = given.body;
      const payload = edited === undefined ? original.body : Buffer.from(typeof edited === "string" ? edited : JSON.stringify(edited));
      const headers: Record<string, string> = {};
      const webhook = pipeline.runtime.config.webhooks.find((w) => w.path === old.path);
      // A signature webhook-serve cannot make (a public-key scheme) is resent as recorded: it
      // passes while the body is unchanged and its timestamp still in the window.
      const resign = webhook === undefined || canSign(webhook.auth?.signature, getAdapter(webhook.platform) ?? {});
      // The webhook's own credential headers too (a custom API-key header): recomputed, not resent.
      const own = new Set(webhook !== undefined ? collectSecretHeaders({ webhooks: [webhook] }) : []);
      for (const [name, value] of Object.entries(original.headers)) if (!(resign && (AUTH_HEADERS.has(name) || own.has(name))) && value !== undefined) headers[name] = String(value);
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
      const res = await handleBytes(pipeline, { method: "POST", url: old.path, headers, body: payload, replay: true });
      const response = res.body === "" ? undefined : (JSON.parse(res.body) as unknown);
      const answer: CoreAnswer = { status: res.status, body: response, info: res.info };
      const replayNote = `ran through the current handlers now (never answered from the dedupe store)${refusedForAuth ? "; first refused for its credentials, this replay carried the server's own" : ""}`;
      const record = recordAnswer(inspector, pipeline, { method: "POST", path: old.path, headers, rawBody: payload }, answer, performance.now() - started, { replayOf: id, changed: changedPaths(old.response, response), replayNote });
      return reply.type("application/json; charset=utf-8").send(record ?? errorBody("WHS_ERR_INTERNAL"));
    });
  }, { prefix: INSPECT_PREFIX });
  return (request, answer, ms) => {
    // Turns and posts to wrong paths; not a browser's GET /favicon.ico.
    if (answer.info.webhook !== undefined || request.method === "POST") recordAnswer(inspector, pipeline, request, answer, ms);
  };
}
