/**
 * @module The request pipeline, free of any transport: path → webhook → method → auth →
 * shape → turn → route → target → platform answer, returned as a value. Reads the current
 * Runtime once per request, so a reload never changes the rules under a request already running.
 */
import type { Logger } from "pino";
import type { AuthFailure } from "../auth/types.js";
import { errorBody, errorCodes, type ErrorCode } from "../errors.js";
import { renderReply, runTarget, type CompiledTarget, type Outcome } from "../handlers/invoke-target.js";
import { GlobalLimiter } from "../concurrency/global-limit.js";
import { createDeduper } from "../dedupe/deduper.js";
import { healthFailed, healthOk, storeHealth, type StoreHealth } from "./store-health.js";
import { acceptsBody } from "../platforms/body-decoders.js";
import { pickPlatform } from "../platforms/pick-platform.js";
import type { ServerConfig } from "../config/types.js";
import type { AdapterResponse, PlatformAdapter } from "../platforms/types.js";
import { resolveReply } from "../replies/resolve-reply.js";
import { explainRoutes, formatVerdicts } from "../routing/explain-route.js";
import type { HandlerLogger, Reply, Turn } from "../types.js";
import { describeSchemaError, responseValidator } from "../platforms/adapter-validators.js";
import type { AdapterChecks, CompiledRoute, CompiledWebhook, Runtime, RuntimeHolder } from "../runtime/runtime.js";
import type { AccessLog } from "./access-log.js";
import type { CoreAnswer, CoreRequest, RequestInfo } from "./types.js";

/** The core with its per-process parts: the current runtime, the drain flag, the dedupe store. */
export interface Pipeline {
  readonly holder: RuntimeHolder;
  /** The runtime requests start on now (`holder.current`). */
  readonly runtime: Runtime;
  /**
   * `draining` once shutdown began: /readyz answers 503 and every answer closes its connection,
   * while requests are still served (`server.drainDelay`); `closed` once the listener closed: a
   * request that still arrives on an open connection gets 503 with `connection: close`.
   */
  readonly state: { draining: boolean; closed: boolean };
  readonly logger: Logger;
  /** The destination under `logger` when its creator passed it: access lines go straight there (access-log.ts). */
  readonly accessLines: AccessLog["accessLines"];
  handle(request: CoreRequest): Promise<CoreAnswer>;
  /** `handle` without the promise when the answer is ready at once (a static reply): what the HTTP route calls. */
  answer(request: CoreRequest): CoreAnswer | Promise<CoreAnswer>;
  /** Swap in a new runtime (hot reload); requests already running keep the old one. */
  swap(runtime: Runtime): void;
  /** The Redis clients' state, for `/metrics`: `dedupe` and `limit` when they use Redis. */
  readonly redis: { dedupe?: StoreHealth; limit?: StoreHealth };
  /** Leases held in Redis now (every instance) per `scope: global` route of the current runtime; none when Redis cannot answer. */
  globalSlots(): Promise<{ webhook: string; route: string; slots: number }[]>;
  /** Closes the dedupe store. */
  close(): Promise<void>;
}

/** Everything one request's steps share, instead of positional parameters. */
interface Exchange {
  request: CoreRequest;
  runtime: Runtime;
  webhook: CompiledWebhook;
  adapter: PlatformAdapter;
  info: RequestInfo;
  log: Logger;
  /** Keep the handler's log lines and a timing breakdown in `info` (the inspector). */
  observe: boolean;
  /** Takes a lease for a `scope: global` route; undefined: count in this process. */
  lease: ((route: CompiledRoute) => Promise<Lease>) | undefined;
}

/** A fallback run after a deadline gets this long: the platform's own deadline is nearly used up. */
const LATE_FALLBACK_MS = 500;

interface PipelineOptions {
  /** Record each request's handler log lines and a timing breakdown in `info` (the inspector). */
  observe?: boolean;
  /** The destination of `logger`, when it comes from `createServerLogger` (access-log.ts). */
  accessLines?: AccessLog["accessLines"];
}

export function createPipeline(runtime: Runtime, logger: Logger, options: PipelineOptions = {}): Pipeline {
  const observe = options.observe === true;
  const holder: RuntimeHolder = { current: runtime };
  const state = { draining: false, closed: false };
  // Its store outlives reloads (a changed `server.dedupe` needs a restart).
  const { server } = runtime.config;
  const redis = { ...(isRedis(server.dedupe?.store) ? { dedupe: storeHealth() } : {}) };
  const dedupe = createDeduper({ server: server.dedupe, logger, redisPrefix: server.redisPrefix, leaseMs: server.leaseTtl, ...(redis.dedupe ? { health: redis.dedupe } : {}) });
  const leases = createLeases(server, logger);
  leases?.start(runtime);

  // Not async: a static reply is answered in the same tick, with no promise in between.
  function answer(request: CoreRequest): CoreAnswer | Promise<CoreAnswer> {
    if (state.closed) {
      // A request that still arrives on an open connection after the listener closed: answer and close it.
      return fail({}, "WHS_ERR_UNAVAILABLE", undefined, { connection: "close" });
    }
    const current = holder.current;
    // Counted (only when there is something to dispose) so a runtime retired by a reload
    // is disposed after its last answer; the common case pays nothing.
    if (current.disposers.length === 0) return answerOn(current, request);
    current.active.requests++;
    let result: CoreAnswer | Promise<CoreAnswer>;
    try {
      result = answerOn(current, request);
    } catch (error) {
      current.active.requests--;
      throw error;
    }
    if (!(result instanceof Promise)) {
      current.active.requests--;
      return result;
    }
    return result.finally(() => current.active.requests--);
  }

  function answerOn(runtime: Runtime, request: CoreRequest): CoreAnswer | Promise<CoreAnswer> {
    const started = observe ? performance.now() : 0;
    const webhook = runtime.webhooks.get(request.path);
    if (webhook === undefined) {
      const listing = request.method === "GET" ? runtime.listings.get(request.path) : undefined;
      if (listing === undefined) return fail({}, "WHS_ERR_NOT_FOUND");
      const denied = listing.auth?.({ headers: request.headers, rawBody: request.rawBody, now: request.now ?? Date.now() });
      if (denied instanceof Promise) return denied.then((failure) => listingAnswer(listing.body, failure));
      return listingAnswer(listing.body, denied);
    }
    const info: RequestInfo = { webhook: webhook.path };
    // The platform's own verification request (a GET with a challenge), before auth and routing.
    if (webhook.handshakes) {
      const res = handshake(webhook, request);
      if (res !== undefined) return adapterAnswer(info, res);
    }
    if (request.method !== "POST") return fail(info, "WHS_ERR_METHOD_NOT_ALLOWED", [request.method], { allow: "POST" });
    const { body } = request;
    const checks = pickAdapter(webhook, body);
    if (checks === undefined) return fail(info, "WHS_ERR_PLATFORM_UNKNOWN", [webhook.adapters.map((c) => c.adapter.name).join(", ")]);
    if (Array.isArray(checks)) return fail(info, "WHS_ERR_PLATFORM_AMBIGUOUS", [checks.map((c) => c.adapter.name).join(", ")]);
    const { adapter } = checks;
    info.platform = adapter.name;
    if (request.bodyType !== undefined && !acceptsBody(adapter, request.bodyType)) return fail(info, "WHS_ERR_UNSUPPORTED_MEDIA_TYPE");
    if (checks.auth !== undefined) {
      // The URL a sender signs: behind a proxy only the configured publicUrl is what it saw.
      const base = webhook.config.publicUrl ?? request.path;
      const url = request.query ? `${base}?${request.query}` : base;
      const denied = checks.auth({ headers: request.headers, rawBody: request.rawBody, now: request.now ?? Date.now(), url, body });
      if (denied !== undefined) {
        // A check that fetches (a certificate chain, a JWKS) answers a promise: only then is one awaited.
        if (denied instanceof Promise) return denied.then((failure) => (failure !== undefined ? fail(info, failure.code, failure.args, failure.headers) : afterAuth(runtime, request, webhook, checks, info, started)));
        return fail(info, denied.code, denied.args, denied.headers);
      }
    }
    return afterAuth(runtime, request, webhook, checks, info, started);
  }

  /** Shape check, dedupe and routing, once the request passed its auth. */
  function afterAuth(runtime: Runtime, request: CoreRequest, webhook: CompiledWebhook, checks: AdapterChecks, info: RequestInfo, started: number): CoreAnswer | Promise<CoreAnswer> {
    const { adapter } = checks;
    const { body } = request;
    if (!checks.validate(body)) return fail(info, "WHS_ERR_BODY_SHAPE", [adapter.name, describeSchemaError(checks.validate)]);
    if (observe) info.timing = { checks: performance.now() - started, handler: 0, reply: 0 };
    const exchange: Exchange = { request, runtime, webhook, adapter, info, log: logger, observe, lease: leases?.lease };
    // Duplicate deliveries are answered from the first delivery's stored answer.
    const key = dedupe.keyFor(webhook, adapter, body, request.headers);
    if (key === undefined || request.replay === true) return routeTurn(exchange);
    return deduped(exchange, key);
  }

  async function deduped(exchange: Exchange, key: string): Promise<CoreAnswer> {
    const { info } = exchange;
    let own: CoreAnswer | undefined;
    const { answer, duplicate } = await dedupe.run(key, async () => {
      own = await routeTurn(exchange);
      return { status: own.status, ...(own.body !== undefined ? { body: own.body } : {}), ...(info.route !== undefined ? { route: info.route } : {}) };
    });
    if (own !== undefined && !duplicate) return own;
    info.outcome = "duplicate";
    if (answer.route !== undefined) info.route = answer.route;
    return { status: answer.status, body: answer.body, info };
  }

  return {
    holder,
    get runtime() {
      return holder.current;
    },
    state,
    logger,
    redis: { ...redis, ...(leases ? { limit: leases.health } : {}) },
    globalSlots: async () => (leases ? leases.inUse(holder.current) : []),
    accessLines: options.accessLines,
    handle: async (request) => answer(request),
    answer,
    swap(next) {
      holder.current = next;
    },
    close: async () => {
      leases?.close();
      await dedupe.close();
    },
  };
}

function routeTurn(x: Exchange): CoreAnswer | Promise<CoreAnswer> {
  const { webhook, adapter, info } = x;
  const turn = adapter.parse(x.request.body, x.request.headers);
  info.turn = turn;
  const index = webhook.router.match(turn);
  const route = index >= 0 ? webhook.routes[index] : undefined;

  if (route === undefined) {
    info.outcome = "no-route";
    // Why not, route by route: only when someone reads debug lines (it walks every route).
    if (x.log.isLevelEnabled("debug")) x.log.debug({ reqId: x.request.id, webhook: webhook.path, routes: formatVerdicts(explainRoutes(webhook.config.routes, turn)) }, "no route matched");
    if (webhook.fallback !== undefined) return answerTarget(x, turn, webhook.fallback, undefined);
    const res = adapter.noRoute?.(turn);
    if (res !== undefined) return adapterAnswer(info, res);
    return fail(info, "WHS_ERR_NO_ROUTE");
  }
  info.route = route.label;
  // A static reply is rendered at once: it holds no slot, no lease and no deadline.
  if (route.target.kind === "reply" && route.globalLimit !== true) return answerTarget(x, turn, route.target, route);
  if (route.globalLimit === true && x.lease !== undefined) return leased(x, turn, route, x.lease);
  return runCounted(x, turn, route, undefined);
}

type Lease = { granted: boolean; release?: () => void } | undefined;

/** A `scope: global` route counts in Redis; when Redis cannot answer (no lease), the per-process count stands in. */
async function leased(x: Exchange, turn: Turn, route: CompiledRoute, lease: NonNullable<Exchange["lease"]>): Promise<CoreAnswer> {
  return runCounted(x, turn, route, await lease(route));
}

/** A handler route (or a global one): counted against its `concurrency` while it runs. */
function runCounted(x: Exchange, turn: Turn, route: CompiledRoute, lease: Lease): CoreAnswer | Promise<CoreAnswer> {
  if (lease !== undefined ? !lease.granted : route.concurrency !== undefined && route.slots.inFlight >= route.concurrency) return limited(x, turn, route);
  const { slots, target } = route;
  slots.inFlight++;
  const free = () => {
    slots.inFlight--;
    lease?.release?.();
  };
  if (target.kind === "reply") {
    try {
      return answerTarget(x, turn, target, route);
    } finally {
      free();
    }
  }
  // A handler past its deadline may still be running: it counts until it really ends.
  let counted = true;
  const onLate = (pending: PromiseLike<unknown>) => {
    counted = false;
    pending.then(free, free);
  };
  return runHandler(x, turn, target, route, onLate, () => {
    if (counted) free();
  });
}

/** The route is at its concurrency limit: its fallback, the webhook's, else 429. */
function limited(x: Exchange, turn: Turn, route: CompiledRoute): Promise<CoreAnswer> | CoreAnswer {
  x.info.outcome = "limited";
  x.info.limited = true;
  const fallback = route.fallback ?? x.webhook.fallback;
  if (fallback !== undefined) return answerTarget(x, turn, fallback, undefined);
  return fail(x.info, "WHS_ERR_TOO_MANY_REQUESTS");
}

/** Leases for `scope: global` routes in the dedupe store's Redis; none without one. */
function createLeases(server: ServerConfig, logger: Logger) {
  const store = server.dedupe?.store;
  if (store === undefined || !isRedis(store)) return undefined;
  let limiter: GlobalLimiter | undefined;
  let down = false;
  const health = storeHealth();
  const failed = (error: unknown) => {
    healthFailed(health);
    if (down) return;
    down = true;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "global concurrency limits unavailable (Redis); counting per process until it is back");
  };
  const back = () => {
    healthOk(health);
    if (!down) return;
    down = false;
    logger.info("global concurrency limits are back (Redis)");
  };
  const renewed = (key: string) => logger.debug({ key }, "global concurrency lease renewed");
  const connect = () => (limiter ??= new GlobalLimiter({ url: store, prefix: server.redisPrefix, leaseMs: server.leaseTtl, onError: failed, onAnswer: back, onRenew: renewed }));
  // Connected at start, like the dedupe store, when some route needs it: the first calls count already.
  const limited = (webhooks: Iterable<{ routes: readonly CompiledRoute[] }>) => [...webhooks].some((webhook) => webhook.routes.some((route) => route.globalLimit === true));
  return {
    start(runtime: Runtime) {
      if (limited(runtime.webhooks.values())) connect();
    },
    async lease(route: CompiledRoute): Promise<Lease> {
      const limiter = connect();
      try {
        const held = await limiter.acquire(route.limitKey ?? route.label, route.concurrency ?? 1);
        if (held === undefined) return { granted: false };
        return { granted: true, release: held.release };
      } catch (error) {
        failed(error);
        return undefined;
      }
    },
    health,
    /** Each global route's count, read from Redis; a count Redis cannot give is left out. */
    async inUse(runtime: Runtime) {
      const limiter = connect();
      const counts = [...runtime.webhooks.values()].flatMap((webhook) =>
        webhook.routes
          .filter((route) => route.globalLimit === true)
          .map(async (route) => ({ webhook: webhook.path, route: route.label, slots: await limiter.inUse(route.limitKey ?? route.label) }))
      );
      const settled = await Promise.allSettled(counts);
      return settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    },
    close: () => limiter?.close(),
  };
}

function isRedis(store: string | undefined): store is string {
  return store !== undefined && /^rediss?:\/\//i.test(store);
}

/** A listing's answer once its auth check has run. */
function listingAnswer(body: unknown, denied: AuthFailure | undefined): CoreAnswer {
  if (denied === undefined) return { status: 200, body, info: {} };
  return fail({}, denied.code, denied.args, denied.headers);
}

/** The first answer a webhook's adapters give as a handshake; undefined when none does. */
function handshake(webhook: CompiledWebhook, request: CoreRequest): AdapterResponse | undefined {
  const query = new URLSearchParams(request.query ?? "");
  for (const { adapter } of webhook.adapters) {
    const res = adapter.handshake?.({ method: request.method, query, headers: request.headers, body: request.body, auth: webhook.config.auth });
    if (res !== undefined) return res;
  }
  return undefined;
}

/** The one adapter the body is (see pickPlatform); several are ambiguous. */
function pickAdapter(webhook: CompiledWebhook, body: unknown): AdapterChecks | AdapterChecks[] | undefined {
  const { adapters } = webhook;
  if (adapters.length === 1) return adapters[0];
  return pickPlatform(adapters, body, (checks) => checks.adapter);
}

/** Runs a route's (or fallback's) target and serializes its reply; a static reply synchronously. */
function answerTarget(x: Exchange, turn: Turn, target: CompiledTarget, route: CompiledRoute | undefined, onLate?: (pending: PromiseLike<unknown>) => void): CoreAnswer | Promise<CoreAnswer> {
  if (target.kind === "handler") return runHandler(x, turn, target, route, onLate);
  const started = x.observe ? performance.now() : 0;
  const outcome = renderReply(target, turn);
  if (!outcome.ok) return targetFailed(x, route, outcome);
  if (x.info.timing !== undefined) x.info.timing.handler = performance.now() - started;
  return serialize(x, turn, outcome.reply, route);
}

/**
 * A handler (or, when it is late, the fallback after it) to the platform's answer.
 * `onSettled` runs once the answer is ready, or failed.
 */
async function runHandler(
  x: Exchange,
  turn: Turn,
  target: CompiledTarget,
  route: CompiledRoute | undefined,
  onLate?: (pending: PromiseLike<unknown>) => void,
  onSettled?: () => void,
): Promise<CoreAnswer> {
  const { webhook, info, log, request } = x;
  const timeout = timeoutOf(x, route);
  const where = { reqId: request.id, webhook: webhook.path, route: route?.label };
  const makeLog = () => (x.observe ? capturing(log.child(where), (info.logs ??= [])) : log.child(where));
  const handlerStarted = x.observe ? performance.now() : 0;
  const finish = (outcome: Outcome): CoreAnswer => {
    if (!outcome.ok) {
      info.outcome = "error";
      log.error({ reqId: request.id, webhook: webhook.path, err: outcome.reason === "error" ? outcome.error : "timeout" }, "fallback failed");
      return fail(info, outcome.reason === "timeout" ? "WHS_ERR_HANDLER_TIMEOUT" : "WHS_ERR_HANDLER_FAILED", [`${timeout} ms`]);
    }
    if (info.timing !== undefined) info.timing.handler = performance.now() - handlerStarted;
    return serialize(x, turn, outcome.reply, route);
  };
  try {
    const outcome = await runTarget(target, turn, timeout, makeLog, onLate, where);
    if (outcome.ok || route === undefined) return finish(outcome);
    if (outcome.reason === "error") return targetFailed(x, route, outcome);
    const fallback = route.fallback ?? webhook.fallback;
    log.warn({ ...where, timeout }, "handler deadline passed");
    info.outcome = "timeout";
    if (fallback === undefined) return fail(info, "WHS_ERR_HANDLER_TIMEOUT", [`${timeout} ms`]);
    return finish(await runTarget(fallback, turn, Math.min(timeout, LATE_FALLBACK_MS), makeLog, undefined, where));
  } finally {
    onSettled?.();
  }
}

/** The deadline of a route's handler (or a fallback's, without a route). */
function timeoutOf(x: Exchange, route: CompiledRoute | undefined): number {
  return route?.timeout ?? x.webhook.timeout ?? x.adapter.defaultTimeout;
}

/** A target that threw (or returned something that is no reply): 500, logged with where it happened. */
function targetFailed(x: Exchange, route: CompiledRoute | undefined, outcome: { reason: "error"; error: unknown } | { reason: "timeout" }): CoreAnswer {
  const { info, log, request, webhook } = x;
  info.outcome = "error";
  const err = outcome.reason === "error" ? outcome.error : "timeout";
  if (route !== undefined) log.error({ reqId: request.id, webhook: webhook.path, route: route.label, err }, "handler failed");
  else log.error({ reqId: request.id, webhook: webhook.path, err }, "fallback failed");
  return fail(info, "WHS_ERR_HANDLER_FAILED");
}

/** The reply in the platform's format, checked against its response schema when asked. */
function serialize(x: Exchange, turn: Turn, reply: Reply | null, route: CompiledRoute | undefined): CoreAnswer {
  const { adapter, info, log } = x;
  info.reply = reply;
  const started = info.timing !== undefined ? performance.now() : 0;
  const res = adapter.serialize(reply === null ? null : resolveReply(reply, turn), turn);
  if (x.runtime.checkReplies && res.body !== undefined) {
    const validate = responseValidator(adapter);
    if (!validate(res.body)) {
      const why = describeSchemaError(validate);
      info.outcome = "error";
      log.error({ reqId: x.request.id, webhook: x.webhook.path, route: route?.label, problem: why }, "reply rejected by the platform's response schema");
      return fail(info, "WHS_ERR_REPLY_SHAPE", [adapter.name, why]);
    }
  }
  if (info.timing !== undefined) info.timing.reply = performance.now() - started;
  return adapterAnswer(info, res);
}

/** A handler's logger that also keeps each line for the inspector. */
function capturing(child: Logger, lines: NonNullable<RequestInfo["logs"]>): HandlerLogger {
  const level =
    (name: "info" | "warn" | "error" | "debug") =>
    (obj: unknown, msg?: string): void => {
      lines.push(typeof obj === "string" ? { level: name, msg: obj } : { level: name, ...(msg !== undefined ? { msg } : {}), data: obj });
      child[name](obj as object, msg);
    };
  return { info: level("info"), warn: level("warn"), error: level("error"), debug: level("debug") };
}

function adapterAnswer(info: RequestInfo, res: AdapterResponse): CoreAnswer {
  if (res.text !== undefined) return { status: res.status, body: undefined, text: res.text, headers: { "content-type": res.type ?? TEXT_TYPE }, info };
  return { status: res.status, body: res.body, json: res.json, info };
}

const TEXT_TYPE = "text/plain; charset=utf-8";

/** The error table's answer for `code`. */
export function fail(info: RequestInfo, code: ErrorCode, args?: readonly (string | number)[], headers?: Record<string, string>): CoreAnswer {
  return { status: errorCodes[code].status, body: errorBody(code, args), info, ...(headers ? { headers } : {}) };
}
