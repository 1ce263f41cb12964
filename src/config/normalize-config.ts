/**
 * @module A schema-valid config → the normalized `Config` (defaults, ms, bytes, absolute
 * handler paths, canonical platform names), plus the checks a schema cannot make:
 * duplicate paths, regexes that do not compile, handler files that do not exist,
 * redis URLs that do not parse.
 */
import { statSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import type {
  AuthConfig,
  Config,
  DedupeServerConfig,
  Filter,
  HandlerRef,
  LogLevel,
  RouteConfig,
  ServerConfig,
  SignatureConfig,
  SourcePosition,
  Target,
  WebhookConfig,
} from "./types.js";
import { standardWebhooksKey } from "../auth/standard-webhooks.js";
import { compileKey } from "../dedupe/dedupe-key.js";
import { compileRegExp } from "../routing/filters.js";
import { checkPath } from "../routing/json-path.js";
import { formatPath, type PathIssue, type PathSegment } from "./issue-path.js";
import { getAdapter } from "../platforms/registry.js";
import { DURATION_HINT, SIZE_HINT, parseDuration, parseSize } from "./units.js";
import type { Locate } from "./yaml-locator.js";

/* The shapes config-schema.ts guarantees (after ajv type coercion). */
type Duration = string | number;
interface RawConfig {
  server?: RawServer;
  webhooks: RawWebhook[];
}
interface RawServer {
  host?: string;
  port?: number;
  bodyLimit?: string | number;
  maxDepth?: number;
  workerStallTimeout?: string | number;
  timeout?: Duration;
  logLevel?: LogLevel;
  metrics?: boolean;
  shutdownTimeout?: Duration;
  requestTimeout?: Duration;
  trustProxy?: boolean | number | string;
  dedupe?: { ttl?: Duration; store?: string; maxEntries?: number };
}
interface RawWebhook {
  path: string;
  platform: string;
  auth?: {
    apiKey?: { header?: string; value: string };
    basic?: { username: string; password: string };
    signature?: {
      scheme?: SignatureConfig["scheme"];
      secret?: string;
      secrets?: string[];
      header?: string;
      algorithm?: SignatureConfig["algorithm"];
      encoding?: SignatureConfig["encoding"];
      prefix?: string;
      tolerance?: Duration;
    };
  };
  routes?: RawRoute[];
  fallback?: RawTarget;
  timeout?: Duration;
  dedupe?: { key: string } | false;
}
interface RawTarget {
  reply?: Record<string, unknown>;
  handler?: string;
}
interface RawRoute extends RawTarget {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  when?: RawFilter[];
  timeout?: Duration;
  concurrency?: number;
  fallback?: RawTarget;
}
type RawFilter = Record<string, unknown>;

export interface NormalizeOptions {
  /** Folder handler paths are resolved against. */
  dir: string;
  /** Absolute config file path, "" for a config given as an object. */
  file: string;
  /** line:column lookup; absent for objects. */
  locate?: Locate;
  /** Injectable for tests. @default a statSync-based check */
  isFile?: (path: string) => boolean;
}

export const defaults = {
  host: "127.0.0.1",
  port: 8080,
  bodyLimit: 1024 * 1024,
  maxDepth: 64,
  workerStallTimeout: 30_000,
  logLevel: "info",
  metrics: true,
  shutdownTimeout: 10_000,
  requestTimeout: 30_000,
  trustProxy: false,
  apiKeyHeader: "api-key",
  signatureScheme: "hmac",
  signatureTolerance: 300_000,
  dedupeTtl: 600_000,
  dedupeStore: "memory",
  dedupeMaxEntries: 10_000,
} as const;

/** `data` must already be valid against config-schema.ts. */
export function normalizeConfig(data: unknown, options: NormalizeOptions): { config: Config; issues: PathIssue[] } {
  const raw = data as RawConfig;
  const issues: PathIssue[] = [];
  const secrets = new Set<string>();
  const isFile = options.isFile ?? defaultIsFile;

  const at = (path: readonly PathSegment[]): SourcePosition => {
    const position = options.locate?.(path);
    return position ? { path: formatPath(path), line: position.line, col: position.col } : { path: formatPath(path) };
  };

  const duration = (value: Duration | undefined, path: PathSegment[]): number | undefined => {
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) issues.push({ path, message: DURATION_HINT });
    return ms;
  };

  const handlerRef = (spec: string, path: PathSegment[]): HandlerRef => {
    const hash = spec.indexOf("#");
    const filePart = hash === -1 ? spec : spec.slice(0, hash);
    const exportName = hash === -1 ? "default" : spec.slice(hash + 1);
    const file = resolve(options.dir, filePart);
    if (!isFile(file)) issues.push({ path, message: `handler file ${filePart} not found (looked for ${file})`, file });
    return { file, exportName, spec, at: at(path) };
  };

  const target = (raw: RawTarget, path: PathSegment[]): Target =>
    raw.handler !== undefined
      ? { kind: "handler", handler: handlerRef(raw.handler, [...path, "handler"]), at: at([...path, "handler"]) }
      : { kind: "reply", reply: raw.reply ?? {}, at: at([...path, "reply"]) };

  const filter = (raw: RawFilter, path: PathSegment[]): Filter => {
    if (Array.isArray(raw.any)) return { any: (raw.any as RawFilter[]).map((f, i) => filter(f, [...path, "any", i])) };
    if (raw.not !== undefined) return { not: filter(raw.not as RawFilter, [...path, "not"]) };
    const key = raw.key as string;
    const keyProblem = checkPath(key);
    if (keyProblem !== undefined) issues.push({ path: [...path, "key"], message: keyProblem });
    if ("equals" in raw) return { key, equals: raw.equals };
    if ("in" in raw) return { key, in: raw.in as unknown[] };
    if ("exists" in raw) return { key, exists: raw.exists as boolean };
    const matches = raw.matches as string;
    try {
      compileRegExp(matches); // the router's own compile: `(?i)` is allowed
    } catch (error) {
      issues.push({ path: [...path, "matches"], message: (error as Error).message });
    }
    return { key, matches };
  };

  const route = (raw: RawRoute, path: PathSegment[]): RouteConfig => {
    const result: RouteConfig = { target: target(raw, path), at: at(path) };
    for (const key of ["intent", "action", "event", "tag"] as const) if (raw[key] !== undefined) result[key] = raw[key];
    if (raw.when) result.when = raw.when.map((f, i) => filter(f, [...path, "when", i]));
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    if (raw.concurrency !== undefined) result.concurrency = raw.concurrency;
    if (raw.fallback) result.fallback = target(raw.fallback, [...path, "fallback"]);
    return result;
  };

  const auth = (raw: NonNullable<RawWebhook["auth"]>, path: PathSegment[]): AuthConfig => {
    const result: AuthConfig = {};
    if (raw.apiKey) {
      result.apiKey = { header: (raw.apiKey.header ?? defaults.apiKeyHeader).toLowerCase(), value: raw.apiKey.value };
      secrets.add(raw.apiKey.value);
    }
    if (raw.basic) {
      result.basic = { username: raw.basic.username, password: raw.basic.password };
      secrets.add(raw.basic.password);
      // The header carries base64("user:pass"): a handler that logs the turn's headers must not leak it.
      // Unpadded too: the server accepts `Basic <token>` without `=`, and the scrubber matches
      // substrings, so the unpadded form also covers every padded one.
      secrets.add(Buffer.from(`${raw.basic.username}:${raw.basic.password}`, "utf8").toString("base64").replace(/=+$/, ""));
    }
    if (raw.signature) {
      const s = raw.signature;
      const list = s.secrets ?? (s.secret === undefined ? [] : [s.secret]);
      list.forEach((secret) => secrets.add(secret));
      const signature: SignatureConfig = {
        scheme: s.scheme ?? defaults.signatureScheme,
        secrets: list,
        tolerance: duration(s.tolerance, [...path, "signature", "tolerance"]) ?? defaults.signatureTolerance,
      };
      if (s.header !== undefined) signature.header = s.header.toLowerCase();
      if (s.algorithm !== undefined) signature.algorithm = s.algorithm;
      if (s.encoding !== undefined) signature.encoding = s.encoding;
      if (s.prefix !== undefined) signature.prefix = s.prefix;
      if (signature.scheme === "standard-webhooks") {
        list.forEach((secret, i) => {
          try {
            standardWebhooksKey(secret);
          } catch (error) {
            issues.push({ path: [...path, "signature", ...(s.secrets ? ["secrets", i] : ["secret"])], message: (error as Error).message });
          }
        });
      }
      result.signature = signature;
    }
    return result;
  };

  const seenPaths = new Map<string, number>();
  const webhook = (raw: RawWebhook, index: number): WebhookConfig => {
    const path: PathSegment[] = ["webhooks", index];
    const first = seenPaths.get(raw.path);
    if (first === undefined) seenPaths.set(raw.path, index);
    else issues.push({ path: [...path, "path"], message: `duplicate path "${raw.path}" (also used by webhooks[${first}])` });
    const result: WebhookConfig = {
      path: raw.path,
      platform: getAdapter(raw.platform)?.name ?? raw.platform,
      routes: (raw.routes ?? []).map((r, i) => route(r, [...path, "routes", i])),
      at: at(path),
    };
    if (raw.auth) result.auth = auth(raw.auth, [...path, "auth"]);
    if (raw.fallback) result.fallback = target(raw.fallback, [...path, "fallback"]);
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    if (raw.dedupe !== undefined) result.dedupe = raw.dedupe === false ? false : { key: raw.dedupe.key };
    if (result.dedupe) {
      try {
        compileKey(result.dedupe.key); // what the deduper will compile
      } catch (error) {
        issues.push({ path: [...path, "dedupe", "key"], message: (error as Error).message });
      }
    }
    return result;
  };

  const server = (raw: RawServer = {}): ServerConfig => {
    const path: PathSegment[] = ["server"];
    let bodyLimit: number = defaults.bodyLimit;
    if (raw.bodyLimit !== undefined) {
      const bytes = parseSize(raw.bodyLimit);
      if (bytes === undefined) issues.push({ path: [...path, "bodyLimit"], message: SIZE_HINT });
      else bodyLimit = bytes;
    }
    const result: ServerConfig = {
      host: raw.host ?? defaults.host,
      port: raw.port ?? defaults.port,
      bodyLimit,
      maxDepth: raw.maxDepth ?? defaults.maxDepth,
      logLevel: raw.logLevel ?? defaults.logLevel,
      metrics: raw.metrics ?? defaults.metrics,
      shutdownTimeout: duration(raw.shutdownTimeout, [...path, "shutdownTimeout"]) ?? defaults.shutdownTimeout,
      requestTimeout: duration(raw.requestTimeout, [...path, "requestTimeout"]) ?? defaults.requestTimeout,
      workerStallTimeout: duration(raw.workerStallTimeout, [...path, "workerStallTimeout"]) ?? defaults.workerStallTimeout,
      trustProxy: trustProxy(raw.trustProxy, [...path, "trustProxy"]),
    };
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    if (raw.dedupe) result.dedupe = dedupe(raw.dedupe, [...path, "dedupe"]);
    return result;
  };

  /** An address list is checked here, so a typo is a config problem with its line, not a failed start. */
  const trustProxy = (raw: RawServer["trustProxy"], path: PathSegment[]): boolean | number | string => {
    if (typeof raw !== "string") return raw ?? defaults.trustProxy;
    for (const entry of raw.split(",").map((s) => s.trim())) {
      if (!isProxyAddress(entry)) issues.push({ path, message: `"${entry}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal` });
    }
    return raw;
  };

  const dedupe = (raw: NonNullable<RawServer["dedupe"]>, path: PathSegment[]): DedupeServerConfig => {
    const store = raw.store ?? defaults.dedupeStore;
    if (store !== "memory" && !URL.canParse(store)) issues.push({ path: [...path, "store"], message: "is not a valid redis URL" });
    return {
      ttl: duration(raw.ttl, [...path, "ttl"]) ?? defaults.dedupeTtl,
      store,
      maxEntries: raw.maxEntries ?? defaults.dedupeMaxEntries,
    };
  };

  const config: Config = {
    server: server(raw.server),
    webhooks: raw.webhooks.map(webhook),
    file: options.file,
    dir: options.dir,
    secrets: [],
  };
  config.secrets = [...secrets].filter((secret) => secret !== "");
  return { config, issues };
}

function defaultIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What Fastify's `trustProxy` (proxy-addr) accepts in an address list: an IP, `ip/bits`, `ip/mask` or a name. */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [ip = "", range, extra] = entry.split("/");
  const version = isIP(ip);
  if (version === 0 || extra !== undefined) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}
