/**
 * @module Config → Runtime: resolve adapters, compile routers, templates, auth checks and
 * dedupe keys, import handlers. Collects every problem instead of stopping at the first, each
 * at its line:column: what only compiling finds (a regular expression the router refuses, a
 * secret that does not decode) is found here, once, not by the config loader as well.
 */
import { positionAt, positionOf } from "../config/source-position.js";
import type { SourcePosition } from "../config/types.js";
import { compileAuth } from "../auth/compile-auth.js";
import type { Config, HandlerRef, RouteConfig, Target } from "../config/types.js";
import type { ConfigIssue } from "../errors.js";
import type { CompiledTarget } from "../handlers/invoke-target.js";
import { handlerKey, loadHandlers, type ImportModule } from "../handlers/load-handlers.js";
import { detectionOrder, getAdapter } from "../platforms/registry.js";
import type { BodyDecoder, PlatformAdapter, RouteSummary } from "../platforms/types.js";
import { jsonBody } from "../platforms/body-decoders.js";
import { checkReply, compileReply } from "../replies/compile-reply.js";
import { compileKey, type KeyReader } from "../dedupe/dedupe-key.js";
import { limitKey } from "../concurrency/limit-key.js";
import { compileRouter } from "../routing/compile-router.js";
import { describeMatch } from "../routing/describe-route.js";
import type { Handler } from "../types.js";
import { requestValidator } from "../platforms/adapter-validators.js";
import type { AdapterChecks, Disposer, Listing, CompiledRoute, CompiledWebhook, RouteSlots, Runtime } from "./runtime.js";

interface BuildOptions {
  /** How handler modules are loaded (the bundle generation, `runtime/rebuild-runtime.ts`). */
  importModule: ImportModule;
  /** Every file the runtime is built from (config, handlers, their local imports), for --watch. */
  files?: readonly string[];
  /** Check replies against the platform's response schema. @default false */
  checkReplies?: boolean;
  /** The runtime being replaced (reload): its routes' in-flight counts carry over. */
  previous?: Runtime;
}

/** On failure, `disposers` are the modules that did load: the caller disposes them. */
type BuildResult = { ok: true; runtime: Runtime } | { ok: false; issues: ConfigIssue[]; disposers: readonly Disposer[] };

export async function buildRuntime(config: Config, options: BuildOptions): Promise<BuildResult> {
  const issues: ConfigIssue[] = [];
  const refs = collectHandlerRefs(config);
  const loaded = await loadHandlers(refs, options.importModule);
  issues.push(...loaded.issues);

  const webhooks = new Map<string, CompiledWebhook>();
  const decoders = new Set<BodyDecoder>([jsonBody]);
  const listings = new Map<string, Listing>();
  const slotsFor = slotsCarriedFrom(options.previous);
  for (const webhook of config.webhooks) {
    const adapters = adaptersFor(webhook.platform);
    if (adapters.length === 0) {
      issues.push({ ...positionOf(webhook.at), path: `${webhook.at.path}.platform`, message: `unknown platform "${webhook.platform}"` });
      continue;
    }
    for (const adapter of adapters) for (const decoder of adapter.bodies ?? []) decoders.add(decoder);
    const problem = (segments: readonly (string | number)[], error: unknown) => issueAt(positionAt(webhook.at, segments), error, issues);
    const checks: AdapterChecks[] = adapters.map((adapter) => ({
      adapter,
      validate: requestValidator(adapter),
      auth: attempt(() => compileAuth(webhook.auth, adapter), (error) => problem(["auth", "signature"], error)),
    }));
    const dedupeKey = typeof webhook.dedupe === "object" ? attempt((): KeyReader => compileKey((webhook.dedupe as { key: string }).key), (error) => problem(["dedupe", "key"], error)) : undefined;
    const routes: CompiledRoute[] = webhook.routes.map((route, index) => {
      const label = describeMatch(route);
      return {
        index,
        label,
        target: compileTarget(route.target, loaded.handlers, issues),
        ...(route.fallback ? { fallback: compileTarget(route.fallback, loaded.handlers, issues) } : {}),
        ...(route.timeout !== undefined ? { timeout: route.timeout } : {}),
        ...(route.concurrency !== undefined ? { concurrency: route.concurrency } : {}),
        ...(route.concurrencyScope === "global" ? { globalLimit: true, limitKey: limitKey(webhook.path, route) } : {}),
        slots: slotsFor(webhook.path, label),
        config: route,
      };
    });
    const timeout = webhook.timeout ?? config.server.timeout;
    webhooks.set(webhook.path, {
      path: webhook.path,
      platform: webhook.platform,
      adapters: checks,
      handshakes: adapters.some((adapter) => adapter.handshake !== undefined),
      router: compileRouter(webhook.routes, (index, error) => issueAt(positionAt((webhook.routes[index] as RouteConfig).at, ["when", ...error.path]), error, issues)),
      routes,
      ...(webhook.fallback ? { fallback: compileTarget(webhook.fallback, loaded.handlers, issues) } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
      ...(dedupeKey !== undefined ? { dedupeKey } : {}),
      config: webhook,
    });
    const lister = adapters.length === 1 ? adapters[0] : undefined;
    const summaries: RouteSummary[] = webhook.routes.map(({ intent, action, event, tag }) => ({ intent, action, event, tag }));
    for (const listing of lister?.listings ?? []) {
      const path = listing.path(webhook.path);
      if (config.webhooks.some((w) => w.path === path)) continue;
      const auth = listing.authenticated ? checks[0]?.auth : undefined;
      listings.set(path, { body: listing.body(summaries), ...(auth ? { auth } : {}) });
    }
  }
  if (issues.length > 0) return { ok: false, issues, disposers: loaded.disposers };
  return {
    ok: true,
    runtime: Object.freeze({
      config,
      webhooks,
      decoders: [...decoders],
      listings,
      checkReplies: options.checkReplies ?? false,
      files: options.files ?? [config.file, ...new Set(refs.map((ref) => ref.file))],
      disposers: loaded.disposers,
      active: { requests: 0 },
    }),
  };
}

/** `compile()`, or undefined after `report(error)` when it throws. */
function attempt<T>(compile: () => T, report: (error: unknown) => void): T | undefined {
  try {
    return compile();
  } catch (error) {
    report(error);
    return undefined;
  }
}

/** One issue for `error` at `at`; `auto` webhooks compile their auth per adapter, so a repeat is dropped. */
function issueAt(at: SourcePosition, error: unknown, issues: ConfigIssue[]): void {
  const message = (error as Error).message;
  if (issues.some((issue) => issue.path === at.path && issue.message === message)) return;
  issues.push({ ...at, message });
}

function adaptersFor(platform: string): readonly PlatformAdapter[] {
  if (platform === "auto") return detectionOrder;
  const adapter = getAdapter(platform);
  return adapter ? [adapter] : [];
}

/** Every handler the config names (routes, route fallbacks, webhook fallbacks). */
export function collectHandlerRefs(config: Config): HandlerRef[] {
  const refs: HandlerRef[] = [];
  const add = (target: Target | undefined) => {
    if (target?.kind === "handler") refs.push(target.handler);
  };
  for (const webhook of config.webhooks) {
    add(webhook.fallback);
    for (const route of webhook.routes) {
      add(route.target);
      add(route.fallback);
    }
  }
  return refs;
}

function compileTarget(target: Target, handlers: Map<string, Handler>, issues: ConfigIssue[]): CompiledTarget {
  if (target.kind === "handler") {
    const handler = handlers.get(handlerKey(target.handler));
    // A missing handler was already reported by loadHandlers; this stub is never served.
    return { kind: "handler", handler: handler ?? (() => null), label: target.handler.spec };
  }
  const problems = checkReply(target.reply);
  for (const problem of problems) {
    issues.push({ ...positionOf(target.at), path: `${target.at.path}.${problem.path}`, message: problem.message });
  }
  if (problems.length > 0) return { kind: "reply", render: () => ({}), label: "reply" };
  return { kind: "reply", render: compileReply(target.reply), label: "reply" };
}

/**
 * In-flight counts by webhook path and route (its match; the n-th route with the same match),
 * taken from the runtime before a reload so a limit holds across it. A new route starts at 0.
 */
function slotsCarriedFrom(previous: Runtime | undefined): (path: string, label: string) => RouteSlots {
  const old = new Map<string, RouteSlots[]>();
  for (const webhook of previous?.webhooks.values() ?? []) {
    for (const route of webhook.routes) {
      const key = `${webhook.path} ${route.label}`;
      old.set(key, [...(old.get(key) ?? []), route.slots]);
    }
  }
  return (path, label) => old.get(`${path} ${label}`)?.shift() ?? { inFlight: 0 };
}
