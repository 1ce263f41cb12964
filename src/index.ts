/**
 * @module webhook-serve's public API. Everything a user imports is listed here; other
 * files are internal and may change.
 */

/** Handler and reply types */
export type { Handler, HandlerContext, HandlerLogger, HandlerResult, Headers, PlatformReplyFields, Reply, ReplyContext, RichMessage, Turn, TurnContext } from "./types.js";

/** Running the pipeline yourself (embedding, serverless, tests) */
export { createServer, type CreateServerOptions } from "./server/create-server.js";

/** Configuration */
export { loadConfig, loadConfigFromString, normalizeConfigObject, type LoadOptions, type LoadResult } from "./config/load-config.js";
export { parseDuration, parseSize } from "./config/units.js";
export { configSchema } from "./config/config-schema.js";
export type { Config, WebhookConfig, RouteConfig, ServerConfig, AuthConfig, SignatureConfig, BearerAuthConfig, Filter, Target, HandlerRef } from "./config/types.js";

/** Errors */
export { errorCodes, WebhookServeError, ConfigError, isWebhookServeError, isConfigError, formatIssue, type ErrorCode, type ConfigIssue } from "./errors.js";

/** Platforms */
export { getAdapter, platformNames, detectAdapter, registerPlatform } from "./platforms/registry.js";
export { jsonBody, formBody } from "./platforms/body-decoders.js";
export type { PlatformAdapter, SampleTurn, AdapterResponse, SignatureDefaults, SignatureScheme, HandshakeRequest, BodyDecoder, FreshnessRule, ReplyFieldSchema, SocketFraming } from "./platforms/types.js";

/** Auth: sign requests in your own tests or senders; add a platform's signature scheme */
export { signRequest } from "./auth/sign-request.js";
export { registerSignatureScheme, signatureSchemeNames } from "./auth/signature-schemes.js";
export { createUrlAndFieldsScheme, type UrlAndFieldsOptions } from "./auth/url-and-fields.js";
export { compileTimestampWindow, type TimestampWindow } from "./auth/timestamp-window.js";
export type { AuthCheck, AuthFailure, AuthRequest, AuthResult, SchemePlatform, SignOptions, TimestampFormat } from "./auth/types.js";

/** Templates */
export { compileTemplate, TemplateError } from "./replies/compile-template.js";
