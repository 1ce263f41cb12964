/**
 * @module The Runtime: everything one loaded config needs to answer requests, compiled
 * once and never mutated (its in-flight counters aside). Hot reload builds a new Runtime
 * beside the old one and swaps a single reference; in-flight requests finish on the runtime
 * they started on.
 */
import type { ValidateFunction } from "ajv";
import type { AuthCheck } from "../auth/types.js";
import type { Config, RouteConfig, WebhookConfig } from "../config/types.js";
import type { CompiledTarget } from "../handlers/invoke-target.js";
import type { BodyDecoder, PlatformAdapter } from "../platforms/types.js";
import type { Router } from "../routing/compile-router.js";
import type { KeyReader } from "../dedupe/dedupe-key.js";

export interface CompiledRoute {
  index: number;
  /** For logs and metrics: `intent=greetings`. */
  label: string;
  target: CompiledTarget;
  fallback?: CompiledTarget;
  /** Configured deadline (route > webhook > server); undefined: the platform's default. */
  timeout?: number;
  concurrency?: number;
  /** The limit counts across instances (Redis leases), not in this process. */
  globalLimit?: boolean;
  /** With `globalLimit`: the count's name in Redis (concurrency/limit-key.ts). */
  limitKey?: string;
  /** Calls in flight, for `concurrency`; shared with the same route of the runtime before a reload. */
  slots: RouteSlots;
  config: RouteConfig;
}

/** A route's in-flight count. One object per route, handed on across reloads, so calls still
 * running on the old runtime count against the new one's limit. */
export interface RouteSlots {
  inFlight: number;
}

/** Per adapter a webhook may answer as (one, or several with `platform: auto`). */
export interface AdapterChecks {
  adapter: PlatformAdapter;
  validate: ValidateFunction;
  auth: AuthCheck | undefined;
}

export interface CompiledWebhook {
  path: string;
  platform: string;
  /** One entry, or the detection order for `platform: auto`. */
  adapters: readonly AdapterChecks[];
  /** Some adapter answers its platform's verification requests (PlatformAdapter.handshake). */
  handshakes: boolean;
  router: Router;
  routes: readonly CompiledRoute[];
  fallback?: CompiledTarget;
  timeout?: number;
  /** The webhook's own `dedupe.key`, compiled. */
  dedupeKey?: KeyReader;
  config: WebhookConfig;
}

export interface Listing {
  body: unknown;
  /** The webhook's auth check, when it has one (header checks; a GET has no body to sign). */
  auth?: AuthCheck;
}

export interface Runtime {
  config: Config;
  /** By URL path. */
  webhooks: ReadonlyMap<string, CompiledWebhook>;
  /** Every body decoder a webhook's adapters accept, JSON first: what the carriers read. */
  decoders: readonly BodyDecoder[];
  /** Extra GET answers adapters declare (`listings`), by URL path, behind the webhook's auth where they say. */
  listings: ReadonlyMap<string, Listing>;
  /** Check every reply against the platform's response schema (development). */
  checkReplies: boolean;
  /** Every file the runtime was built from (config + handler modules), for --watch. */
  files: readonly string[];
  /** Handler modules' `dispose` exports, run once this runtime is retired (reload, shutdown). */
  disposers: readonly Disposer[];
  /** Requests being answered on this runtime, counted only when it has disposers: a retired
   * runtime is disposed once this reaches 0. */
  active: { requests: number };
}

/** A handler module's `export function dispose()`: closes what the module opened at import. */
export interface Disposer {
  /** The module as the config names it, for log lines. */
  spec: string;
  dispose: () => unknown;
}

/** The one mutable cell: the current runtime. */
export interface RuntimeHolder {
  current: Runtime;
}
