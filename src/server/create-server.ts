/**
 * @module `createServer()`: the whole pipeline as a ready (not listening) Fastify instance,
 * for embedding; `loadPipeline()`: the core alone, for carriers that need no HTTP server.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { loadConfig, normalizeConfigObject } from "../config/load-config.js";
import type { Config } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { loadRuntime, type LoadOptions } from "../runtime/rebuild-runtime.js";
import { createPipeline, type Pipeline } from "../core/handle.js";
import { createHttpServer, type HttpServer } from "./http-server.js";
import { createLogger } from "./logger.js";

export interface CreateServerOptions extends Pick<LoadOptions, "checkReplies"> {
  /** @default a pino logger at the config's level, secrets scrubbed */
  logger?: Logger;
  /** Environment for `${NAME}` substitution. @default process.env */
  env?: Record<string, string | undefined>;
  /** Folder handler paths are resolved against when `config` is an object. @default process.cwd() */
  dir?: string;
}

/** Loads the config (a file path, a raw object as in YAML, or a loaded Config) and builds the core. Throws ConfigError listing every problem. */
export async function loadPipeline(config: string | Config | Record<string, unknown>, options: CreateServerOptions = {}): Promise<Pipeline> {
  const loaded = await resolveConfig(config, options);
  const built = await loadRuntime(loaded, { checkReplies: options.checkReplies ?? false });
  if (!built.ok) throw new ConfigError(built.issues);
  const logger = options.logger ?? createLogger({ level: loaded.server.logLevel, secrets: loaded.secrets, pretty: false });
  return createPipeline(built.runtime, logger);
}

/**
 * The pipeline as a ready Fastify instance.
 * @example
 * const app = await createServer("./config.yaml");
 * const res = await app.inject({ method: "POST", url: "/dialogflow", payload });
 */
export async function createServer(config: string | Config | Record<string, unknown>, options: CreateServerOptions = {}): Promise<FastifyInstance> {
  const { fastify } = await loadHttpServer(config, options);
  await fastify.ready();
  return fastify;
}

/** The core and the Fastify server carrying it (not yet ready). */
export async function loadHttpServer(config: string | Config | Record<string, unknown>, options: CreateServerOptions = {}): Promise<HttpServer> {
  return createHttpServer(await loadPipeline(config, options));
}

async function resolveConfig(config: string | Config | Record<string, unknown>, options: CreateServerOptions): Promise<Config> {
  const env = options.env ?? process.env;
  if (typeof config === "string") {
    const result = await loadConfig(config, { env });
    if (!result.ok) throw new ConfigError(result.issues);
    return result.config;
  }
  if (isLoaded(config)) return config;
  const result = normalizeConfigObject(config, { dir: options.dir ?? process.cwd(), env });
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

function isLoaded(config: Config | Record<string, unknown>): config is Config {
  return typeof config.file === "string" && Array.isArray(config.secrets) && typeof config.server === "object";
}
