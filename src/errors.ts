/**
 * @module The one table of error codes. Every error response and every CLI failure
 * takes its code, status and message from here; `docs/errors.md` is kept in sync by a test.
 */

/** `%s` in a message is replaced by the error's arguments, in order. */
export const errorCodes = {
  // Configuration (CLI and reload only; never an HTTP answer)
  WHS_ERR_CONFIG_INVALID: { status: 500, message: "Invalid configuration: %s" },

  // Request shape
  WHS_ERR_BODY_NOT_JSON: { status: 400, message: "Request body is not valid JSON" },
  WHS_ERR_BODY_SHAPE: { status: 400, message: "Not a %s request: %s" },
  WHS_ERR_PLATFORM_UNKNOWN: { status: 400, message: "Request matches none of the platforms tried (%s)" },
  WHS_ERR_PLATFORM_AMBIGUOUS: { status: 400, message: "Request matches more than one platform (%s)" },
  WHS_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Content-Type must be application/json" },
  WHS_ERR_BODY_TOO_LARGE: { status: 413, message: "Request body is too large" },
  WHS_ERR_BODY_TOO_DEEP: { status: 400, message: "Request body is nested deeper than %s levels" },
  WHS_ERR_ENCODING_UNSUPPORTED: { status: 415, message: "Content-Encoding %s is not supported (use gzip, deflate, br or identity)" },
  WHS_ERR_ENCODING_INVALID: { status: 400, message: "Request body is not valid %s data" },
  WHS_ERR_REQUEST_STALE: { status: 400, message: "Request is too old" },
  WHS_ERR_BAD_REQUEST: { status: 400, message: "Malformed HTTP request" },
  WHS_ERR_REQUEST_TIMEOUT: { status: 408, message: "Request not received in time" },
  WHS_ERR_HEADERS_TOO_LARGE: { status: 431, message: "Request headers are too large" },
  WHS_ERR_FRAME_NOT_TEXT: { status: 400, message: "WebSocket messages must be text frames holding JSON" },

  // Auth (messages never say which check or which secret failed)
  WHS_ERR_AUTH_MISSING: { status: 400, message: "Missing %s header" },
  WHS_ERR_AUTH_FAILED: { status: 401, message: "Unauthorized" },
  WHS_ERR_AUTH_UNAVAILABLE: { status: 503, message: "Credentials cannot be checked now: the keys to check them with could not be fetched" },

  // Routing
  WHS_ERR_NOT_FOUND: { status: 404, message: "No webhook at this path" },
  WHS_ERR_NO_ROUTE: { status: 404, message: "No route matches this request" },
  WHS_ERR_METHOD_NOT_ALLOWED: { status: 405, message: "Method %s not allowed" },

  // Handlers
  WHS_ERR_HANDLER_FAILED: { status: 500, message: "Handler failed" },
  WHS_ERR_HANDLER_TIMEOUT: { status: 504, message: "Handler exceeded %s" },
  WHS_ERR_REPLY_SHAPE: { status: 500, message: "Reply is not a valid %s response: %s" },
  WHS_ERR_TOO_MANY_REQUESTS: { status: 429, message: "Too many requests in flight for this route" },

  // The live inspector (development only)
  WHS_ERR_INSPECT_FORBIDDEN: { status: 403, message: "The inspector answers only on a loopback Host (or one given with --inspect-host), from its own page, and not through a proxy without --inspect-token" },
  WHS_ERR_INSPECT_CSRF: { status: 403, message: "Inspector changes need Content-Type: application/json and an X-Inspect-Request header" },
  WHS_ERR_REPLAY_NEEDS_CONFIRM: { status: 409, message: "This turn was refused for its credentials; replaying it sends the server's own: confirm to replay" },

  // Server
  WHS_ERR_UNAVAILABLE: { status: 503, message: "Server is shutting down" },
  WHS_ERR_INTERNAL: { status: 500, message: "Internal error" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** Where a config problem is: a YAML path and, when known, its line:column. */
export interface ConfigIssue {
  /** `webhooks[0].routes[2].intent`; empty for the whole file. */
  path: string;
  message: string;
  line?: number;
  col?: number;
  /** A file the problem is about (a handler module that is missing), for watchers. */
  file?: string;
}

const BRAND = Symbol.for("webhook-serve.error");

/** The error every part of webhook-serve throws or answers with. */
export class WebhookServeError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, args: readonly (string | number)[] = [], options?: { cause?: unknown }) {
    super(formatMessage(code, args), options);
    this.name = "WebhookServeError";
    this.code = code;
    this.statusCode = errorCodes[code].status;
  }

  /** The JSON body every error response carries. */
  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A configuration with one or more problems; the CLI prints every issue. */
export class ConfigError extends WebhookServeError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    // Every problem in the message too: serverless runtimes log only an error's message.
    super("WHS_ERR_CONFIG_INVALID", [issues.map(formatIssue).join("; ")]);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Brand check, not `instanceof`: reloaded handler modules may import a second copy of this package. */
export function isWebhookServeError(value: unknown): value is WebhookServeError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function isConfigError(value: unknown): value is ConfigError {
  return isWebhookServeError(value) && value.code === "WHS_ERR_CONFIG_INVALID";
}

function formatMessage(code: ErrorCode, args: readonly (string | number)[] = []): string {
  let i = 0;
  return errorCodes[code].message.replace(/%s/g, () => String(args[i++] ?? ""));
}

/** The error body for a code, without building an Error (hot path). */
export function errorBody(code: ErrorCode, args: readonly (string | number)[] = []): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message: formatMessage(code, args) } };
}

/** `webhooks[0].routes[2]: unknown key "intnet" (line 14:7)` */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? "" : ` (line ${issue.line}:${issue.col ?? 1})`;
  return `${issue.path || "(file)"}: ${issue.message}${where}`;
}
