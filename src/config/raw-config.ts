/**
 * @module The shapes config-schema.ts guarantees (after ajv type coercion): what the
 * normalizer and the semantic checks read.
 */
import type { LogLevel } from "./defaults.js";
import type { SignatureConfig } from "./types.js";

export type Duration = string | number;
export interface RawConfig {
  server?: RawServer;
  webhooks: RawWebhook[];
}
export interface RawServer {
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
export interface RawWebhook {
  path: string;
  platform: string;
  auth?: {
    apiKey?: { header?: string; value: string };
    basic?: { username: string; password: string };
    bearer?: { jwks: string; issuer: string | string[]; audience: string | string[]; algorithms?: string[]; clockTolerance?: Duration };
    signature?: {
      scheme?: SignatureConfig["scheme"];
      secret?: string;
      secrets?: string[];
      publicKey?: string;
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
  publicUrl?: string;
}
export interface RawTarget {
  reply?: Record<string, unknown>;
  handler?: string;
}
export interface RawRoute extends RawTarget {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  when?: RawFilter[];
  timeout?: Duration;
  concurrency?: number | { limit: number; scope?: "process" | "global" };
  fallback?: RawTarget;
}
export type RawFilter = Record<string, unknown>;

