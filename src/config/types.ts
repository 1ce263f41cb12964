/**
 * @module The loaded, validated and normalized configuration: what the rest of the
 * server reads. Durations are milliseconds, sizes are bytes, paths are absolute.
 * `loadConfig()` (config/load-config.ts) produces it and deep-freezes it. Defaults are the
 * schema's (config-schema.ts), filled in before normalizing.
 */

/** Where a value came from in the YAML file, for messages. */
export interface SourcePosition {
  /** YAML path, `webhooks[0].routes[1].handler`. */
  path: string;
  line?: number;
  col?: number;
}

export interface DedupeServerConfig {
  /** Milliseconds a first reply is kept. */
  ttl: number;
  /** `memory` or a `redis://` / `rediss://` URL. */
  store: string;
  /** Most entries the memory store keeps. */
  maxEntries: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Bytes. */
  bodyLimit: number;
  /** Deepest object/array nesting a request body may have. */
  maxDepth: number;
  /** Handler deadline in ms; undefined: the platform default. */
  timeout?: number;
  logLevel: LogLevel;
  /** `GET /metrics`. */
  metrics: boolean;
  /** The bearer token `GET /metrics` must carry; undefined: none. */
  metricsToken?: string;
  /** ms /readyz answers 503 on SIGTERM before the listener closes; `auto`: the CLI decides (resolve-options.ts). */
  drainDelay: number | "auto";
  /** ms to drain on SIGTERM before forcing exit. */
  shutdownTimeout: number;
  /** ms a client may take to send a request (HTTP layer). */
  requestTimeout: number;
  /** `--workers`: ms a worker's event loop may stay blocked before it is replaced. */
  workerStallTimeout: number;
  /** Trust X-Forwarded-* from a proxy: true, a hop count, or an address list. */
  trustProxy: boolean | number | string;
  /** Dedupe store; undefined: dedupe off unless a webhook sets `dedupe`. */
  dedupe?: DedupeServerConfig;
  /** Prefix of every Redis key this application writes. */
  redisPrefix: string;
  /** ms a Redis lease (global slot, dedupe lock) lives unless renewed. */
  leaseTtl: number;
}

import type { LogLevel } from "./log-levels.js";

export type { LogLevel };

/** A route filter, compiled by routing/. */
export type Filter =
  | { key: string; equals: unknown }
  | { key: string; in: readonly unknown[] }
  | { key: string; exists: boolean }
  | { key: string; matches: string }
  | { any: readonly Filter[] }
  | { not: Filter };

/** `./handlers/weather.ts#onWeather` resolved. */
export interface HandlerRef {
  /** Absolute file path. */
  file: string;
  /** Export name. */
  exportName: string;
  /** As written in the config, for messages. */
  spec: string;
  at: SourcePosition;
}

/** What a route (or fallback) does: a static templated reply or a handler. */
export type Target =
  | { kind: "reply"; reply: Readonly<Record<string, unknown>>; at: SourcePosition }
  | { kind: "handler"; handler: HandlerRef; at: SourcePosition };

export interface RouteConfig {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  when?: readonly Filter[];
  target: Target;
  /** ms; overrides webhook and server. */
  timeout?: number;
  /** Most calls in flight at once; more get the fallback, else 429. */
  concurrency?: number;
  /** `global`: the limit counts across instances (Redis leases); default per process. */
  concurrencyScope?: "process" | "global";
  /** `concurrency.key`: the name of a global count in Redis; default: webhook path and match. */
  concurrencyKey?: string;
  fallback?: Target;
  at: SourcePosition;
}

export interface ApiKeyAuthConfig {
  /** Lower-case header name. */
  header: string;
  value: string;
}

export interface BasicAuthConfig {
  username: string;
  password: string;
}

/** A shipped scheme's name, or one a platform registered. */
export type SignatureSchemeName = "hmac" | "standard-webhooks" | "ed25519" | "alexa" | (string & {});

export interface SignatureConfig {
  /**
   * `hmac` (header signatures, platform defaults), `standard-webhooks`, `ed25519`, `alexa`, or a
   * scheme a platform registered; absent in the file: the platform's own scheme, else `hmac`.
   */
  scheme: SignatureSchemeName;
  /** Every accepted secret; the first signs (`send`, testing helper). Empty for public-key schemes. */
  secrets: readonly string[];
  /** ed25519: the sender's public key, 64 hex digits. */
  publicKey?: string;
  /** Overrides of the platform defaults (hmac only). */
  header?: string;
  algorithm?: "sha1" | "sha256" | "sha512";
  encoding?: "hex" | "base64";
  prefix?: string;
  /** ms of clock skew allowed (standard-webhooks, ed25519). */
  tolerance?: number;
}

/** `auth.bearer`: a JWT in `Authorization: Bearer`, checked against the issuer's key set. */
export interface BearerAuthConfig {
  /** URL of the issuer's JSON Web Key Set. */
  jwks: string;
  /** Accepted `iss` values. */
  issuer: readonly string[];
  /** Accepted `aud` values (one must be in the token's). */
  audience: readonly string[];
  /** Accepted `alg` values. @default every asymmetric one (RS*, PS*, ES*, EdDSA) */
  algorithms: readonly string[];
  /** ms of clock skew allowed for `exp` and `nbf`. @default 300000 */
  clockTolerance: number;
}

export interface AuthConfig {
  apiKey?: ApiKeyAuthConfig;
  basic?: BasicAuthConfig;
  signature?: SignatureConfig;
  bearer?: BearerAuthConfig;
}

export interface WebhookConfig {
  /** Starts with `/`. */
  path: string;
  /** Canonical adapter name (aliases resolved), or `auto`. */
  platform: string;
  /** `websocket`: the path also accepts the WebSocket upgrade, each frame answered like a POST. @default "http" */
  transport: "http" | "websocket";
  auth?: AuthConfig;
  /**
   * The URL the platform calls, as configured on its side (`https://bots.example.com/sms`),
   * without a query. Schemes that sign the URL check it with the request's query appended
   * instead of the path received: behind a proxy the server cannot know its public URL.
   */
  publicUrl?: string;
  routes: readonly RouteConfig[];
  fallback?: Target;
  /** ms; overrides server.timeout. */
  timeout?: number;
  /** Dedupe key: a dotted JSON path or `header:NAME`; false turns a server-wide dedupe off. */
  dedupe?: { key: string } | false;
  at: SourcePosition;
}

export interface Config {
  server: ServerConfig;
  webhooks: readonly WebhookConfig[];
  /** Absolute path of the file and its folder (handler paths are resolved against it). */
  file: string;
  dir: string;
  /** Every secret value in the file, after `${ENV}` substitution, for log redaction. */
  secrets: readonly string[];
}
