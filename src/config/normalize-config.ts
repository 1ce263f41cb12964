/**
 * @module A schema-valid config (ajv has filled in its defaults) → the normalized `Config`: ms,
 * bytes, absolute handler paths (a missing file is a problem), canonical platform names and
 * the secrets to scrub (`collect-secrets.ts`). What a schema cannot check is in
 * `semantic-checks.ts`; both lists of problems come back together.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type {
  AuthConfig,
  Config,
  DedupeServerConfig,
  Filter,
  HandlerRef,
  RouteConfig,
  ServerConfig,
  SignatureConfig,
  SourcePosition,
  Target,
  WebhookConfig,
} from "./types.js";
import { collectSecrets } from "./collect-secrets.js";
import { formatPath, type PathIssue, type PathSegment } from "./issue-path.js";
import { getAdapter } from "../platforms/registry.js";
import { DURATION_HINT, SIZE_HINT, parseDuration, parseSize } from "./units.js";
import type { Locate } from "./yaml-locator.js";
import { LazyPosition } from "./source-position.js";
import { semanticIssues } from "./semantic-checks.js";
import type { RawAuth, RawConfig, RawFallback, RawFilter, RawRoute, RawWebhook } from "./raw-config.js";

/** The shortest `server.leaseTtl`: renewed every third of it, a shorter lease would cost Redis a command every few ms per call. */
const MIN_LEASE_MS = 300;

type Duration = string | number;
type RawServer = RawConfig["server"];

interface NormalizeOptions {
  /** Folder handler paths are resolved against. */
  dir: string;
  /** Absolute config file path, "" for a config given as an object. */
  file: string;
  /** line:column lookup; absent for objects. */
  locate?: Locate;
  /** Injectable for tests. @default a statSync-based check */
  isFile?: (path: string) => boolean;
}


/** `data` must already be valid against config-schema.ts. */
export function normalizeConfig(data: unknown, options: NormalizeOptions): { config: Config; issues: PathIssue[] } {
  const raw = data as RawConfig;
  const issues: PathIssue[] = semanticIssues(raw);
  const isFile = options.isFile ?? defaultIsFile;

  const at = (path: readonly PathSegment[]): SourcePosition => (options.locate === undefined ? { path: formatPath(path) } : new LazyPosition(path, options.locate));

  const duration = (value: Duration | undefined, path: PathSegment[]): number | undefined => {
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) issues.push({ path, message: DURATION_HINT });
    return ms;
  };
  // A defaulted duration: the schema's pattern has passed, so only a bad number is left to say.
  const ms = (value: Duration, path: PathSegment[]): number => duration(value, path) ?? 0;

  const handlerRef = (spec: string, path: PathSegment[]): HandlerRef => {
    const hash = spec.indexOf("#");
    const filePart = hash === -1 ? spec : spec.slice(0, hash);
    const exportName = hash === -1 ? "default" : spec.slice(hash + 1);
    const file = resolve(options.dir, filePart);
    if (!isFile(file)) issues.push({ path, message: `handler file ${filePart} not found (looked for ${file})`, file });
    return { file, exportName, spec, at: at(path) };
  };

  const target = (raw: RawFallback, path: PathSegment[]): Target =>
    raw.handler !== undefined
      ? { kind: "handler", handler: handlerRef(raw.handler, [...path, "handler"]), at: at([...path, "handler"]) }
      : { kind: "reply", reply: (raw.reply ?? {}) as Record<string, unknown>, at: at([...path, "reply"]) };

  const filter = (raw: RawFilter, path: PathSegment[]): Filter => {
    if (raw.any !== undefined) return { any: raw.any.map((f, i) => filter(f, [...path, "any", i])) };
    if (raw.not !== undefined) return { not: filter(raw.not, [...path, "not"]) };
    const key = raw.key as string;
    if ("equals" in raw) return { key, equals: raw.equals };
    if (raw.in !== undefined) return { key, in: raw.in };
    if (raw.exists !== undefined) return { key, exists: raw.exists };
    return { key, matches: raw.matches as string };
  };

  const route = (raw: RawRoute, path: PathSegment[]): RouteConfig => {
    const result: RouteConfig = { target: target(raw, path), at: at(path) };
    for (const key of ["intent", "action", "event", "tag"] as const) if (raw[key] !== undefined) result[key] = raw[key];
    if (raw.when) result.when = raw.when.map((f, i) => filter(f, [...path, "when", i]));
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    if (typeof raw.concurrency === "number") result.concurrency = raw.concurrency;
    else if (raw.concurrency !== undefined) {
      result.concurrency = raw.concurrency.limit;
      if (raw.concurrency.scope === "global") result.concurrencyScope = "global";
      if (raw.concurrency.key !== undefined) result.concurrencyKey = raw.concurrency.key;
    }
    if (raw.fallback) result.fallback = target(raw.fallback, [...path, "fallback"]);
    return result;
  };

  const auth = (raw: RawAuth, path: PathSegment[], platform: string): AuthConfig => {
    const result: AuthConfig = {};
    if (raw.apiKey) {
      result.apiKey = { header: raw.apiKey.header.toLowerCase(), value: raw.apiKey.value };
    }
    if (raw.basic) result.basic = { username: raw.basic.username, password: raw.basic.password };
    if (raw.bearer) {
      const b = raw.bearer;
      const list = (value: string | string[]) => (typeof value === "string" ? [value] : value);
      result.bearer = {
        jwks: b.jwks,
        issuer: list(b.issuer),
        audience: list(b.audience),
        algorithms: b.algorithms,
        clockTolerance: ms(b.clockTolerance, [...path, "bearer", "clockTolerance"]),
      };
    }
    if (raw.signature) {
      const s = raw.signature;
      const list = s.secrets ?? (s.secret === undefined ? [] : [s.secret]);
      const signature: SignatureConfig = {
        // Absent: the platform's own scheme where it has one (a signed URL, a public key), else hmac.
        scheme: s.scheme ?? getAdapter(platform)?.signatureScheme?.name ?? "hmac",
        secrets: list,
        tolerance: duration(s.tolerance, [...path, "signature", "tolerance"]),
      };
      if (s.publicKey !== undefined) signature.publicKey = s.publicKey;
      if (s.header !== undefined) signature.header = s.header.toLowerCase();
      if (s.algorithm !== undefined) signature.algorithm = s.algorithm;
      if (s.encoding !== undefined) signature.encoding = s.encoding;
      if (s.prefix !== undefined) signature.prefix = s.prefix;
      result.signature = signature;
    }
    return result;
  };

  const webhook = (raw: RawWebhook, index: number): WebhookConfig => {
    const path: PathSegment[] = ["webhooks", index];
    const result: WebhookConfig = {
      path: raw.path,
      platform: getAdapter(raw.platform)?.name ?? raw.platform,
      transport: raw.transport,
      routes: (raw.routes ?? []).map((r, i) => route(r, [...path, "routes", i])),
      at: at(path),
    };
    if (raw.auth) result.auth = auth(raw.auth, [...path, "auth"], raw.platform);
    if (raw.publicUrl !== undefined) result.publicUrl = raw.publicUrl;
    if (raw.fallback) result.fallback = target(raw.fallback, [...path, "fallback"]);
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    // `true` is refused by the schema.
    if (raw.dedupe !== undefined) result.dedupe = typeof raw.dedupe === "boolean" ? false : { key: raw.dedupe.key };
    return result;
  };

  const server = (raw: RawServer): ServerConfig => {
    const path: PathSegment[] = ["server"];
    const bodyLimit = parseSize(raw.bodyLimit);
    if (bodyLimit === undefined) issues.push({ path: [...path, "bodyLimit"], message: SIZE_HINT });
    const result: ServerConfig = {
      host: raw.host,
      port: raw.port,
      bodyLimit: bodyLimit ?? 0,
      maxDepth: raw.maxDepth,
      logLevel: raw.logLevel,
      metrics: raw.metrics,
      drainDelay: raw.drainDelay === "auto" ? "auto" : ms(raw.drainDelay, [...path, "drainDelay"]),
      shutdownTimeout: ms(raw.shutdownTimeout, [...path, "shutdownTimeout"]),
      requestTimeout: ms(raw.requestTimeout, [...path, "requestTimeout"]),
      workerStallTimeout: ms(raw.workerStallTimeout, [...path, "workerStallTimeout"]),
      trustProxy: raw.trustProxy,
      redisPrefix: raw.redisPrefix,
      leaseTtl: ms(raw.leaseTtl, [...path, "leaseTtl"]),
    };
    if (result.leaseTtl < MIN_LEASE_MS) issues.push({ path: [...path, "leaseTtl"], message: `must be at least ${MIN_LEASE_MS}ms` });
    const timeout = duration(raw.timeout, [...path, "timeout"]);
    if (timeout !== undefined) result.timeout = timeout;
    if (raw.metricsToken !== undefined) result.metricsToken = raw.metricsToken;
    if (raw.dedupe) result.dedupe = dedupe(raw.dedupe, [...path, "dedupe"]);
    return result;
  };

  const dedupe = (raw: NonNullable<RawServer["dedupe"]>, path: PathSegment[]): DedupeServerConfig => ({
    ttl: ms(raw.ttl, [...path, "ttl"]),
    store: raw.store,
    maxEntries: raw.maxEntries,
  });

  const config: Config = {
    server: server(raw.server),
    webhooks: raw.webhooks.map(webhook),
    file: options.file,
    dir: options.dir,
    secrets: [],
  };
  config.secrets = collectSecrets(config);
  return { config, issues };
}

function defaultIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
