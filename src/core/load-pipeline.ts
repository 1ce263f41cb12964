/**
 * @module `loadPipeline()`: a config (a file, a raw object as in YAML, or a loaded Config)
 * compiled into the core, with no HTTP framework loaded. Every carrier starts here: the
 * Fastify plugin, the serverless entries and `webhook-serve/testing`.
 */
import type { Logger } from "pino";
import { loadConfig, normalizeConfigObject } from "../config/load-config.js";
import type { Config } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { loadRuntime, type RuntimeLoadOptions } from "../runtime/rebuild-runtime.js";
import { createServerLogger } from "../logging/logger.js";
import { collectSecretHeaders } from "../config/collect-secrets.js";
import { createPipeline, type Pipeline } from "./handle.js";

/** What a config can be given as. */
export type ConfigSource = string | Config | Record<string, unknown>;

export interface PipelineLoadOptions extends Pick<RuntimeLoadOptions, "checkReplies"> {
  /** @default a pino logger at the config's level, secrets scrubbed */
  logger?: Logger;
  /** Environment for `${NAME}` substitution. @default process.env */
  env?: Record<string, string | undefined>;
  /** Folder handler paths are resolved against when `config` is an object. @default process.cwd() */
  dir?: string;
}

/** Loads the config and builds the core. Throws ConfigError listing every problem. */
export async function loadPipeline(config: ConfigSource, options: PipelineLoadOptions = {}): Promise<Pipeline> {
  const loaded = await resolveConfig(config, options);
  const built = await loadRuntime(loaded, { checkReplies: options.checkReplies ?? false });
  if (!built.ok) throw new ConfigError(built.issues);
  if (options.logger !== undefined) return createPipeline(built.runtime, options.logger);
  const { logger, destination } = createServerLogger({ level: loaded.server.logLevel, secrets: loaded.secrets, secretHeaders: collectSecretHeaders(loaded), pretty: false });
  return createPipeline(built.runtime, logger, { accessLines: destination });
}

async function resolveConfig(config: ConfigSource, options: PipelineLoadOptions): Promise<Config> {
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
