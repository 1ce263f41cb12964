/**
 * @module Every default the contract gives, in one table: the loader fills them in, and the
 * deduper and auth read them from here instead of keeping their own copies.
 */

/** pino's levels, most severe first; `silent` writes nothing. */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export type LogLevel = (typeof logLevels)[number];

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
  webhookTransport: "http",
  apiKeyHeader: "api-key",
  signatureScheme: "hmac",
  signatureTolerance: 300_000,
  /** `server.dedupe`, and a webhook's `dedupe` when `server.dedupe` is absent. */
  dedupe: { ttl: 600_000, store: "memory", maxEntries: 10_000 },
} as const;
