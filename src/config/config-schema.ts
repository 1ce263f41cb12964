/**
 * @module The one JSON schema of the routing file. ajv validates against it (load-config.ts)
 * and scripts/generate-schema.ts publishes it as schema/config.schema.json for editors
 * (`# yaml-language-server: $schema=...`).
 *
 * Rules kept here on purpose:
 * - `additionalProperties: false` on every object, so typos are errors;
 * - a `description` on every property (editors show them);
 * - every `oneOf`/`anyOf`/`not` sits in its own `allOf` entry with an `errorMessage`
 *   (the keyword VS Code and ajv-errors read); the loader prints that message instead of
 *   ajv's branch-by-branch noise;
 * - only plain JSON-schema keywords, so ajv standalone code generation works;
 * - every default is a `default:` here, in the file's own units ("10s"): ajv fills it in
 *   (`useDefaults`), and the "Default …" sentence editors and docs/configuration-reference.md
 *   show is generated from it (`withDefault`). Nothing else keeps a copy.
 */
import { BEARER_ALGORITHMS } from "../auth/bearer-jwt.js";
import { builtInSchemeNames } from "../auth/signature-schemes.js";
import { allAdapters, platformNames, replySchema } from "../platforms/registry.js";
import { atMostOne, exactlyOne, nonEmpty } from "../validation/schema-parts.js";
import { logLevels } from "./log-levels.js";
import { DURATION_PATTERN, SIZE_PATTERN } from "./units.js";

/** Module path relative to the config file, with an optional `#export`. */
const HANDLER_PATTERN = "^[^#]+\\.(ts|mts|js|mjs)(#[A-Za-z_$][A-Za-z0-9_$]*)?$";
const WEBHOOK_PATH_PATTERN = "^/";
const DEDUPE_STORE_PATTERN = "^(memory|rediss?://.+)$";
const REDIS_PREFIX_PATTERN = "^[A-Za-z0-9_.:-]{1,64}$";
const LIMIT_KEY_PATTERN = "^[A-Za-z0-9_.:/=-]{1,128}$";
/** A duration, or `auto` (drain-delay.ts). */
const DRAIN_DELAY_PATTERN = `^auto$|${DURATION_PATTERN}`;
const PUBLIC_URL_PATTERN = "^https?://[^/?#]+(/[^?#]*)?$";
const JWKS_URL_PATTERN = "^(https://|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?/)";

/** Friendly messages for the patterns above, used instead of "must match pattern ...". */
export const patternHints: Readonly<Record<string, string>> = {
  [DURATION_PATTERN]: "must be a duration like 500ms, 4s, 10m, 1h or a number of milliseconds",
  [SIZE_PATTERN]: "must be a size like 512b, 16kb, 1mb or a number of bytes",
  [HANDLER_PATTERN]: "must be a module path ending in .ts, .mts, .js or .mjs, with an optional #export (./handlers/x.ts#name)",
  [WEBHOOK_PATH_PATTERN]: "must start with /",
  [DEDUPE_STORE_PATTERN]: 'must be "memory" or a redis:// or rediss:// URL',
  [REDIS_PREFIX_PATTERN]: "must be 1 to 64 letters, digits or _ . : -",
  [LIMIT_KEY_PATTERN]: "must be 1 to 128 letters, digits or _ . : / = -",
  [DRAIN_DELAY_PATTERN]: "must be auto or a duration like 500ms, 4s or a number of milliseconds",
  [JWKS_URL_PATTERN]: "must be an https:// URL (http:// only on 127.0.0.1 or localhost)",
  [PUBLIC_URL_PATTERN]: "must be an http:// or https:// URL without a query or fragment (the request's query is appended)",
};

const duration = (description: string, defaultValue?: string) => ({
  type: ["string", "number"],
  pattern: DURATION_PATTERN,
  minimum: 0,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  description,
});

const stringOrList = (description: string) => ({ type: ["string", "array"], minLength: 1, minItems: 1, items: { type: "string", minLength: 1 }, description });

const target = {
  reply: { $ref: "#/$defs/reply", description: "A static reply; `{{ ... }}` in its strings reads the turn (params.NAME, text, intent, session.values.NAME, raw.PATH, ...)." },
  handler: { $ref: "#/$defs/handler", description: "A handler module, relative to this file: `./handlers/x.ts` (default export) or `./handlers/x.ts#name`." },
};

const filterForms = [
  { required: ["key", "equals"], maxProperties: 2 },
  { required: ["key", "in"], maxProperties: 2 },
  { required: ["key", "exists"], maxProperties: 2 },
  { required: ["key", "matches"], maxProperties: 2 },
  { required: ["any"], maxProperties: 1 },
  { required: ["not"], maxProperties: 1 },
];

/** The routing file. Exported as a plain object; ajv compiles it once. */
export const configSchema = {
  title: "webhook-serve routing file",
  description: "Maps chatbot webhook calls (intents, actions, events, CX tags, JSON-key filters) to handler modules or static replies.",
  type: "object",
  additionalProperties: false,
  required: ["webhooks"],
  properties: {
    $schema: { type: "string", description: "The JSON schema of this file, for editors; ignored by webhook-serve." },
    server: {
      type: "object",
      additionalProperties: false,
      description: "HTTP server settings; all optional. CLI flags and the PORT, HOST, LOG_LEVEL environment variables take precedence.",
      default: {},
      properties: {
        host: { ...nonEmpty("Address to listen on (use 0.0.0.0 in containers)."), default: "127.0.0.1" },
        port: { type: "integer", minimum: 0, maximum: 65535, default: 8080, description: "TCP port." },
        bodyLimit: { type: ["string", "number"], pattern: SIZE_PATTERN, minimum: 1, default: "1mb", description: "Largest request body: 512b, 16kb, 1mb or bytes. Larger bodies answer 413." },
        maxDepth: { type: "integer", minimum: 1, maximum: 10000, default: 64, description: "Deepest nesting of objects and arrays a request body may have. Deeper bodies answer 400 WHS_ERR_BODY_TOO_DEEP before any route runs." },
        timeout: duration("Handler deadline per request: 500ms, 4s or milliseconds. Absent: the platform's own limit."),
        logLevel: { type: "string", enum: [...logLevels], default: "info", description: "pino log level." },
        metrics: { type: "boolean", default: true, description: "Serve Prometheus metrics at GET /metrics." },
        metricsToken: nonEmpty("A bearer token GET /metrics must carry (Prometheus: authorization: { credentials: … }); use ${ENV_VAR}. Absent: /metrics answers anyone who reaches the port."),
        drainDelay: {
          type: ["string", "number"],
          pattern: DRAIN_DELAY_PATTERN,
          minimum: 0,
          default: "auto",
          description:
            "On SIGTERM/SIGINT, how long /readyz answers 503 while webhooks are still accepted, so load balancers stop sending before the listener closes: a duration, or auto (5s; 0 when stdout is a terminal). Every answer in this time carries Connection: close.",
        },
        shutdownTimeout: duration("On SIGTERM/SIGINT, how long in-flight requests may take after the listener closes (after drainDelay) before the process exits.", "10s"),
        requestTimeout: duration("How long a client may take to send a whole request.", "30s"),
        workerStallTimeout: duration("With --workers: a worker whose event loop has not run for this long (a handler stuck in a synchronous loop) is killed and replaced.", "30s"),
        trustProxy: { type: ["boolean", "integer", "string"], default: false, description: "Trust X-Forwarded-* headers: true, a hop count, or a comma-separated address list." },
        redisPrefix: {
          type: "string",
          pattern: REDIS_PREFIX_PATTERN,
          default: "whs:",
          description: "Prefix of every Redis key this application writes (dedupe answers and locks, global concurrency leases): give each application sharing one Redis its own.",
        },
        leaseTtl: duration(
          "How long a Redis lease (a global concurrency slot, a dedupe lock) lives unless renewed; it is renewed every third of this while its call runs, so a crashed instance frees its slots and locks after at most this long.",
          "3s",
        ),
        dedupe: {
          type: "object",
          additionalProperties: false,
          description: "Answer duplicate deliveries from the first reply without running the handler again.",
          properties: {
            ttl: duration("How long a first reply is kept.", "10m"),
            store: { type: "string", pattern: DEDUPE_STORE_PATTERN, default: "memory", description: "memory (per process) or a redis:// / rediss:// URL shared by every instance." },
            maxEntries: { type: "integer", minimum: 1, default: 10000, description: "Most replies the memory store keeps." },
          },
        },
      },
    },
    webhooks: {
      type: "array",
      minItems: 1,
      description: "One entry per URL path; several webhooks can share one server.",
      items: { $ref: "#/$defs/webhook" },
    },
  },
  $defs: {
    webhook: {
      type: "object",
      additionalProperties: false,
      required: ["path", "platform"],
      description: "A URL path answering one platform's webhook format.",
      properties: {
        path: { type: "string", pattern: WEBHOOK_PATH_PATTERN, description: "URL path, starting with /. Unique per server." },
        platform: { type: "string", enum: platformNames(), description: platformDescription() },
        transport: { type: "string", enum: ["http", "websocket"], default: "http", description: transportDescription() },
        auth: { $ref: "#/$defs/auth", description: "Checks every request must pass; all configured checks apply." },
        publicUrl: {
          type: "string",
          pattern: PUBLIC_URL_PATTERN,
          description:
            "The URL the platform calls, exactly as configured on its side (https://bots.example.com/sms), without a query. Schemes that sign the URL check it, with the request's query appended, instead of the path received: behind a proxy the server cannot know it.",
        },
        routes: {
          type: "array",
          description: "Routes tried in file order; the first match wins.",
          items: { $ref: "#/$defs/route" },
        },
        fallback: { $ref: "#/$defs/fallback", description: "Answer when no route matches (else 404, or the platform's own no-route answer) and when a handler passes its deadline." },
        timeout: duration("Handler deadline for this webhook: 500ms, 4s or milliseconds. Overrides server.timeout."),
        dedupe: {
          type: ["object", "boolean"],
          additionalProperties: false,
          required: ["key"],
          description: "Duplicate detection: { key: <dotted JSON path> } or { key: header:NAME }; false turns it off for this webhook.",
          properties: {
            key: nonEmpty("Where the delivery id is: a dotted path into the JSON body (responseId) or header:NAME (header:webhook-id)."),
          },
          allOf: [{ not: { const: true }, errorMessage: "must be { key: ... } or false" }],
        },
      },
    },
    auth: {
      type: "object",
      additionalProperties: false,
      description: "Request authentication.",
      properties: {
        apiKey: {
          type: "object",
          additionalProperties: false,
          required: ["value"],
          description: "A shared key in a request header. Missing header answers 400, a wrong key 401.",
          properties: {
            header: { ...nonEmpty("Header name (case-insensitive)."), default: "api-key" },
            value: nonEmpty("The expected key; use ${ENV_VAR} rather than writing it here."),
          },
        },
        basic: {
          type: "object",
          additionalProperties: false,
          required: ["username", "password"],
          description: "HTTP Basic authentication (RFC 7617).",
          properties: {
            username: nonEmpty("Expected user name."),
            password: nonEmpty("Expected password; use ${ENV_VAR}."),
          },
        },
        bearer: {
          type: "object",
          additionalProperties: false,
          required: ["jwks", "issuer", "audience"],
          description:
            "A JWT in Authorization: Bearer, signed by a key of the issuer's published key set (Bot Framework / Teams, Google Chat). Missing or invalid: 401; key set unreachable: 503.",
          properties: {
            jwks: { type: "string", pattern: JWKS_URL_PATTERN, description: "URL of the issuer's JSON Web Key Set, for example https://login.botframework.com/v1/.well-known/keys. https; http only on 127.0.0.1 or localhost." },
            issuer: stringOrList("Accepted iss claim, or a list of them."),
            audience: stringOrList("Accepted aud claim (your app or project id), or a list of them. Required: a key set is shared by every app of the issuer."),
            algorithms: { type: "array", minItems: 1, items: { type: "string", enum: [...BEARER_ALGORITHMS] }, default: [...BEARER_ALGORITHMS], description: "Accepted signing algorithms (asymmetric ones only)." },
            clockTolerance: duration("Clock skew allowed for exp and nbf (Bot Framework allows 5 minutes).", "5m"),
          },
        },
        signature: {
          type: "object",
          additionalProperties: false,
          description: "The request's signature, checked by its scheme: by default the platform's own, else an HMAC of the raw body whose header, algorithm, encoding and prefix default per platform.",
          properties: {
            scheme: {
              type: "string",
              enum: [...builtInSchemeNames],
              description:
                "hmac (a signature header), standard-webhooks (webhook-id, webhook-timestamp, webhook-signature headers), ed25519 (x-signature-ed25519 over x-signature-timestamp + body, with publicKey), alexa (an Alexa skill's Signature-256 and certificate chain), or a scheme a platform registered. Absent: the platform's own scheme, else hmac.",
            },
            secret: nonEmpty("Signing secret; use ${ENV_VAR}. For standard-webhooks, the whsec_... value. Not for ed25519 or alexa."),
            secrets: { type: "array", minItems: 1, items: { type: "string", minLength: 1 }, description: "Several accepted secrets, for key rotation; the first one signs." },
            publicKey: nonEmpty("The sender's Ed25519 public key, 64 hex digits as the platform shows it (ed25519)."),
            header: nonEmpty("Signature header name (hmac), for example x-hub-signature."),
            algorithm: { type: "string", enum: ["sha1", "sha256", "sha512"], description: "HMAC hash (hmac)." },
            encoding: { type: "string", enum: ["hex", "base64"], description: "How the signature is written in the header (hmac)." },
            prefix: { type: "string", description: "Text before the signature in the header, for example sha256= (hmac)." },
            // No schema default: only some schemes read it, and each has its own (5 minutes for both today).
            tolerance: duration("Allowed clock skew of the signed timestamp (standard-webhooks, ed25519); 5m when absent."),
          },
          allOf: [atMostOne(["secret", "secrets"], "a signature takes secret or secrets, not both")],
        },
      },
    },
    route: {
      type: "object",
      additionalProperties: false,
      description: "Matches a turn by at most one of intent, action, event, tag, plus optional when filters; answers with reply or handler.",
      properties: {
        intent: nonEmpty("Match on the intent name."),
        action: nonEmpty("Match on the action name (API.AI, Dialogflow ES, Rasa)."),
        event: nonEmpty("Match on the event type (Clustaar topic, AI Flow type, Lex invocationSource, generic body.type)."),
        tag: nonEmpty("Match on the Dialogflow CX webhook tag."),
        when: {
          type: "array",
          description: "Filters on the raw JSON body; all must hold. A route with only when matches on filters alone.",
          items: { $ref: "#/$defs/filter" },
        },
        ...target,
        timeout: duration("Handler deadline for this route: 500ms, 4s or milliseconds. Overrides the webhook and server timeout."),
        // A number, or an object: each keyword applies to its own type (minimum to numbers, the rest to objects).
        concurrency: {
          type: ["integer", "object"],
          minimum: 1,
          additionalProperties: false,
          required: ["limit"],
          properties: {
            limit: { type: "integer", minimum: 1, description: "Most calls in flight at once." },
            scope: { type: "string", enum: ["process", "global"], default: "process", description: "process: per process; global: across instances, through Redis leases that expire if an instance dies." },
            key: {
              type: "string",
              pattern: LIMIT_KEY_PATTERN,
              description: "With scope: global, the name of the count in Redis. Unset: the webhook path and the route's match, so config releases that add or move routes still count together; routes (or webhooks) that give the same key share one limit.",
            },
          },
          description: "Most handler calls in flight at once; more get the fallback reply, else 429. A number counts per process; { limit, scope: global } counts across every instance sharing server.dedupe.store (Redis).",
        },
        fallback: { $ref: "#/$defs/fallback", description: "Answer when this route's handler passes its deadline or its concurrency limit." },
      },
      allOf: [
        exactlyOne(["reply", "handler"], "a route needs exactly one of reply or handler"),
        atMostOne(["intent", "action", "event", "tag"], "at most one of intent, action, event, tag"),
      ],
    },
    fallback: {
      type: "object",
      additionalProperties: false,
      description: "A reply or a handler.",
      properties: target,
      allOf: [exactlyOne(["reply", "handler"], "a fallback needs exactly one of reply or handler")],
    },
    handler: {
      type: "string",
      pattern: HANDLER_PATTERN,
      description: "Module path relative to the config file (.ts, .mts, .js, .mjs), with an optional #export.",
    },
    filter: {
      type: "object",
      additionalProperties: false,
      description: "{ key, equals | in | exists | matches }, { any: [filters] } or { not: filter }.",
      properties: {
        key: nonEmpty("Dotted path into the raw JSON body: a.b.0.c indexes arrays, items.*.sku holds when some element matches."),
        equals: { description: "Holds when the value at key equals this value." },
        in: { type: "array", description: "Holds when the value at key equals one of these values." },
        exists: { type: "boolean", description: "true: holds when key is present; false: when it is absent." },
        matches: { type: "string", description: "Regular expression (JavaScript syntax) the value at key must match." },
        any: { type: "array", minItems: 1, items: { $ref: "#/$defs/filter" }, description: "Holds when at least one of these filters holds." },
        not: { $ref: "#/$defs/filter", description: "Holds when this filter does not hold." },
      },
      allOf: [
        {
          oneOf: filterForms,
          errorMessage: "a filter needs key with exactly one of equals, in, exists, matches; or any; or not",
        },
      ],
    },
    reply: replySchema(),
  },
};

/** Where the published schema lives (unpkg serves the package's `schema/` folder). */
const CONFIG_SCHEMA_ID = "https://unpkg.com/webhook-serve/schema/config.schema.json";

/**
 * The text of schema/config.schema.json: `$schema`, `$id` and a generated-file note first.
 * scripts/generate-schema.ts writes it; a test fails when the committed file drifts.
 */
export function configSchemaFileText(): string {
  const document = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: CONFIG_SCHEMA_ID,
    $comment: "Generated by scripts/generate-schema.ts from src/config/config-schema.ts. Do not edit.",
    ...(forEditors(configSchema) as object),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A `${NAME}` or `${NAME:-default}` reference, which the loader replaces before checking. */
const ENV_REFERENCE = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

/**
 * The schema as an editor sees the file: before `${NAME}` substitution. Every checked scalar
 * (a number, a boolean, an enum, a pattern) also accepts a string holding a `${…}` reference
 * (`port: ${PORT:-8080}`), and patterns carry their plain-language hint as the message
 * editors show (yaml-language-server reads `errorMessage`, VS Code `patternErrorMessage`).
 */
function forEditors(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forEditors);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "properties" || key === "$defs" || key === "patternProperties" ? mapValues(value, forEditors) : forEditors(value);
  }
  const types = ([] as unknown[]).concat(out.type ?? []);
  const scalar = types.length > 0 && types.every((t) => t !== "object" && t !== "array");
  const checked = types.some((t) => t !== "string") || out.pattern !== undefined || out.enum !== undefined || out.const !== undefined;
  if (typeof out.description === "string") out.description = withDefault(out);
  const hint = typeof out.pattern === "string" ? patternHints[out.pattern] : undefined;
  if (hint !== undefined) {
    const plain = hint.replace(/^must be a \w+ like /, "use ");
    out.errorMessage = plain;
    out.patternErrorMessage = plain;
  }
  if (!scalar || !checked) return out;
  const { description, default: defaultValue, ...rest } = out;
  return {
    ...(description === undefined ? {} : { description }),
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    anyOf: [rest, { type: "string", pattern: ENV_REFERENCE }],
  };
}

/** A description with its default said last: "TCP port. Default 8080." */
export function withDefault(node: { description?: string; default?: unknown }): string | undefined {
  const { description, default: value } = node;
  if (value === undefined || (typeof value === "object" && !Array.isArray(value))) return description;
  return `${description ?? ""} Default ${Array.isArray(value) ? value.join(", ") : String(value)}.`.trim();
}

function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, f(v)]));
}

/** The platforms with a socket framing, from the registry. */
function transportDescription(): string {
  const names = allAdapters()
    .filter((a) => a.socket !== undefined)
    .map((a) => a.name);
  return `http: one POST per event. websocket: the path also accepts the WebSocket upgrade (auth checked on it) and answers each event frame on the socket, for platforms with a socket framing (${names.join(", ")}); POSTs keep working.`;
}

/** `Request/response format: apiai (alias dialogflow-v1), …, or auto`, from the registry. */
function platformDescription(): string {
  const names = allAdapters().map((a) => (a.aliases.length > 0 ? `${a.name} (alias ${a.aliases.join(", ")})` : a.name));
  return `Request/response format: ${names.join(", ")}, or auto (detect per request).`;
}
