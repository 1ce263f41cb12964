/**
 * @module The one catch-all route: path → webhook → method → auth → shape → turn →
 * route → target → platform answer. Reads the current Runtime once per request, so a
 * reload never changes the rules under a request already running.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody, errorCodes, type ErrorCode } from "../errors.js";
import type { HandlerScope } from "../handlers/handler-scope.js";
import { runTarget, type CompiledTarget, type Outcome } from "../handlers/invoke-target.js";
import type { Deduper } from "../dedupe/deduper.js";
import type { AdapterResponse, PlatformAdapter } from "../platforms/types.js";
import { resolveReply } from "../replies/resolve-reply.js";
import type { Turn } from "../types.js";
import { describeSchemaError, responseValidator } from "./request-validators.js";
import type { AdapterChecks, CompiledRoute, CompiledWebhook, Runtime, RuntimeHolder } from "./runtime.js";

/** What the access log line and metrics read back after the answer. */
export interface RequestInfo {
  webhook?: string;
  route?: string;
  platform?: string;
  outcome?: "timeout" | "error" | "fallback" | "no-route" | "limited" | "duplicate";
}

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: Buffer;
    whs: RequestInfo | null;
  }
}

export function createDispatch(holder: RuntimeHolder, dedupe?: Deduper, state?: { draining: boolean }) {
  return async function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (state?.draining) {
      // A request that still arrives on an open connection during the drain: answer and close it.
      reply.header("connection", "close");
      return fail(reply, "WHS_ERR_UNAVAILABLE");
    }
    const runtime = holder.current;
    // Counted (only when there is something to dispose) so a runtime retired by a reload
    // is disposed after its last answer; the common case pays nothing.
    if (runtime.disposers.length === 0) return answerOn(runtime, request, reply);
    runtime.active.requests++;
    try {
      return await answerOn(runtime, request, reply);
    } finally {
      runtime.active.requests--;
    }
  };

  async function answerOn(runtime: Runtime, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const path = pathOf(request.url);
    const webhook = runtime.webhooks.get(path);
    if (webhook === undefined) {
      const listing = request.method === "GET" ? runtime.listings.get(path) : undefined;
      if (listing === undefined) return fail(reply, "WHS_ERR_NOT_FOUND");
      const denied = listing.auth?.({ headers: request.headers, rawBody: EMPTY, now: Date.now() });
      if (denied === undefined) return listing.body;
      if (denied.headers) reply.headers(denied.headers);
      return fail(reply, denied.code, denied.args);
    }
    const info: RequestInfo = { webhook: webhook.path };
    request.whs = info;
    if (request.method !== "POST") {
      reply.header("allow", "POST");
      return fail(reply, "WHS_ERR_METHOD_NOT_ALLOWED", [request.method]);
    }
    const body = request.body;
    const checks = pickAdapter(webhook, body);
    if (checks === undefined) {
      return fail(reply, "WHS_ERR_PLATFORM_UNKNOWN", [webhook.adapters.map((c) => c.adapter.name).join(", ")]);
    }
    if (Array.isArray(checks)) return fail(reply, "WHS_ERR_PLATFORM_AMBIGUOUS", [checks.map((c) => c.adapter.name).join(", ")]);
    const { adapter } = checks;
    info.platform = adapter.name;
    if (checks.auth !== undefined) {
      const denied = checks.auth({ headers: request.headers, rawBody: request.rawBody ?? EMPTY, now: Date.now() });
      if (denied !== undefined) {
        if (denied.headers) reply.headers(denied.headers);
        return fail(reply, denied.code, denied.args);
      }
    }
    if (!checks.validate(body)) {
      return fail(reply, "WHS_ERR_BODY_SHAPE", [adapter.name, describeSchemaError(checks.validate)]);
    }
    // Duplicate deliveries (issue 5): answered from the first delivery's stored answer.
    const dedupeKey = dedupe?.keyFor(webhook, adapter, body, request.headers);
    if (dedupe === undefined || dedupeKey === undefined) return routeTurn(request, reply, runtime, webhook, adapter, body, info);
    const own: { ran: boolean; result?: unknown } = { ran: false };
    const { answer, duplicate } = await dedupe.run(dedupeKey, async () => {
      const result = await routeTurn(request, reply, runtime, webhook, adapter, body, info);
      own.ran = true;
      own.result = result;
      return { status: reply.statusCode, ...(result === reply ? {} : { body: result }), ...(info.route !== undefined ? { route: info.route } : {}) };
    });
    if (own.ran && !duplicate) return own.result;
    info.outcome = "duplicate";
    if (answer.route !== undefined) info.route = answer.route;
    reply.code(answer.status);
    return answer.body === undefined ? reply.send() : answer.body;
  }
}

async function routeTurn(
  request: FastifyRequest,
  reply: FastifyReply,
  runtime: Runtime,
  webhook: CompiledWebhook,
  adapter: PlatformAdapter,
  body: unknown,
  info: RequestInfo,
): Promise<unknown> {
  const turn = adapter.parse(body, request.headers);
  const index = webhook.router.match(turn);
  const route = index >= 0 ? webhook.routes[index] : undefined;

  if (route === undefined) {
    info.outcome = "no-route";
    if (webhook.fallback !== undefined) return answer(reply, request, webhook, adapter, turn, webhook.fallback, undefined, runtime.checkReplies);
    const res = adapter.noRoute?.(turn);
    if (res !== undefined) return send(reply, res);
    return fail(reply, "WHS_ERR_NO_ROUTE");
  }
  info.route = route.label;
  if (route.concurrency !== undefined && route.slots.inFlight >= route.concurrency) {
    info.outcome = "limited";
    const fallback = route.fallback ?? webhook.fallback;
    if (fallback !== undefined) return answer(reply, request, webhook, adapter, turn, fallback, undefined, runtime.checkReplies);
    return fail(reply, "WHS_ERR_TOO_MANY_REQUESTS");
  }
  const { slots } = route;
  slots.inFlight++;
  // A handler past its deadline may still be running: it counts until it really ends.
  let counted = true;
  const onLate = (pending: PromiseLike<unknown>) => {
    counted = false;
    const done = () => void slots.inFlight--;
    pending.then(done, done);
  };
  try {
    return await answer(reply, request, webhook, adapter, turn, route.target, route, runtime.checkReplies, onLate);
  } finally {
    if (counted) slots.inFlight--;
  }
}

/** A fallback run after a deadline gets this long: the platform's own deadline is nearly used up. */
const LATE_FALLBACK_MS = 500;

const EMPTY = Buffer.alloc(0);

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/** The one adapter whose shape the body has; several (a body built to look like two) are ambiguous. */
function pickAdapter(webhook: CompiledWebhook, body: unknown): AdapterChecks | AdapterChecks[] | undefined {
  const { adapters } = webhook;
  if (adapters.length === 1) return adapters[0];
  let found: AdapterChecks | undefined;
  let more: AdapterChecks[] | undefined;
  for (const checks of adapters) {
    if (!checks.adapter.detect(body)) continue;
    if (found === undefined) found = checks;
    else (more ??= [found]).push(checks);
  }
  return more ?? found;
}

async function answer(
  reply: FastifyReply,
  request: FastifyRequest,
  webhook: CompiledWebhook,
  adapter: PlatformAdapter,
  turn: Turn,
  target: CompiledTarget,
  route: CompiledRoute | undefined,
  checkReplies: boolean,
  onLate?: (pending: PromiseLike<unknown>) => void,
): Promise<unknown> {
  const timeout = route?.timeout ?? webhook.timeout ?? adapter.defaultTimeout;
  const log = request.log;
  const makeLog = () => log.child({ reqId: request.id, webhook: webhook.path, route: route?.label });
  let outcome: Outcome = await runTarget(target, turn, timeout, makeLog, onLate, scopeOf(target, request, webhook, route));
  if (!outcome.ok && route !== undefined) {
    if (outcome.reason === "error") {
      if (request.whs) request.whs.outcome = "error";
      log.error({ reqId: request.id, webhook: webhook.path, route: route.label, err: outcome.error }, "handler failed");
      return fail(reply, "WHS_ERR_HANDLER_FAILED");
    }
    const fallback = route.fallback ?? webhook.fallback;
    log.warn({ reqId: request.id, webhook: webhook.path, route: route.label, timeout }, "handler deadline passed");
    if (request.whs) request.whs.outcome = "timeout";
    if (fallback === undefined) return fail(reply, "WHS_ERR_HANDLER_TIMEOUT", [`${timeout} ms`]);
    outcome = await runTarget(fallback, turn, Math.min(timeout, LATE_FALLBACK_MS), makeLog, undefined, scopeOf(fallback, request, webhook, route));
  }
  if (!outcome.ok) {
    if (request.whs) request.whs.outcome = "error";
    log.error({ reqId: request.id, webhook: webhook.path, err: outcome.reason === "error" ? outcome.error : "timeout" }, "fallback failed");
    return fail(reply, outcome.reason === "timeout" ? "WHS_ERR_HANDLER_TIMEOUT" : "WHS_ERR_HANDLER_FAILED", [`${timeout} ms`]);
  }
  const res = adapter.serialize(outcome.reply === null ? null : resolveReply(outcome.reply, turn), turn);
  if (checkReplies && res.body !== undefined) {
    const validate = responseValidator(adapter);
    if (!validate(res.body)) {
      const why = describeSchemaError(validate);
      if (request.whs) request.whs.outcome = "error";
      log.error({ reqId: request.id, webhook: webhook.path, route: route?.label, problem: why }, "reply rejected by the platform's response schema");
      return fail(reply, "WHS_ERR_REPLY_SHAPE", [adapter.name, why]);
    }
  }
  return send(reply, res);
}

/** The request a handler call belongs to (for faults it leaves behind); static replies need none. */
function scopeOf(target: CompiledTarget, request: FastifyRequest, webhook: CompiledWebhook, route: CompiledRoute | undefined): HandlerScope | undefined {
  return target.kind === "handler" ? { reqId: request.id, webhook: webhook.path, route: route?.label } : undefined;
}

function send(reply: FastifyReply, res: AdapterResponse): unknown {
  reply.code(res.status);
  if (res.body === undefined) return reply.send();
  return res.body;
}

function fail(reply: FastifyReply, code: ErrorCode, args?: readonly (string | number)[]): unknown {
  const body = errorBody(code, args);
  reply.code(errorCodes[code].status);
  return body;
}
