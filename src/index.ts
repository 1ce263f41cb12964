/**
 * @module webhook-serve's public API. Everything a user imports is listed here; other
 * files are internal and may change.
 */

/** Handler and reply types */
export type { Handler, HandlerContext, HandlerLogger, HandlerResult, Headers, Reply, ReplyContext, RichMessage, Turn, TurnContext } from "./types.js";

/** Running the pipeline yourself (embedding, serverless, tests) */
export { createServer, type CreateServerOptions } from "./server/create-server.js";
export { loadConfig, loadConfigFromString, normalizeConfigObject, type LoadResult } from "./config/load-config.js";
export type { Config, WebhookConfig, RouteConfig, ServerConfig, AuthConfig, SignatureConfig, Filter, Target } from "./config/types.js";

/** Errors */
export { errorCodes, WebhookServeError, ConfigError, isWebhookServeError, isConfigError, formatIssue, type ErrorCode, type ConfigIssue } from "./errors.js";

/** Platforms */
export { getAdapter, platformNames } from "./platforms/registry.js";
export type { PlatformAdapter, SampleTurn, AdapterResponse, SignatureDefaults } from "./platforms/types.js";
