/**
 * @module The platform adapter interface. An adapter is one wire format: it recognises
 * a request body, turns it into a normalized Turn, and turns a Reply back into the
 * platform's response. Adapters are pure: no I/O, no logging, no clock. Every adapter
 * passes the shared conformance suite in test/platforms/conformance.ts.
 */
import type { SignatureScheme } from "../auth/types.js";
import type { TimestampFormat } from "../auth/timestamp-window.js";
import type { AuthConfig } from "../config/types.js";
import type { Headers, Reply, Turn, TurnContext } from "../types.js";
import type { BodyDecoder } from "./body-decoders.js";

export type { BodyDecoder } from "./body-decoders.js";

/** How a platform signs its requests; `auth.signature` fields override these. */
export interface SignatureDefaults {
  /** Lower-case header name, `x-hub-signature`. */
  header: string;
  algorithm: "sha1" | "sha256" | "sha512";
  encoding: "hex" | "base64";
  /** Text before the digest in the header, `sha256=`. */
  prefix: string;
  /** The bytes that are signed; the raw body when absent (Clustaar signs `date=<Date>\n<body>`). */
  signedContent?(rawBody: Buffer, headers: Headers): Buffer;
}

/**
 * A signature scheme (see src/auth/types.ts): a platform whose requests carry a signature that
 * is no HMAC of the body's bytes (a signed URL and form fields, an asymmetric key) declares its
 * scheme here. It becomes the platform's default (`auth.signature` without `scheme`), and is
 * registered by name with the platform, so `scheme: <its name>` works on any webhook.
 */
export type { SignatureScheme } from "../auth/types.js";

/** A request to a webhook path that may be the platform's own verification (a GET with a challenge). */
export interface HandshakeRequest {
  method: string;
  /** The query string's parameters. */
  query: URLSearchParams;
  headers: Headers;
  /** The decoded body; undefined for none. */
  body: unknown;
  /** The webhook's `auth` (a verify token lives there). */
  auth: AuthConfig | undefined;
}

/**
 * A check on the request's age that the platform's reference server makes (Clustaar: Date
 * ≤ 10 s). A request without a readable timestamp passes (the signature covers it where it
 * matters); one outside the window answers 400 `WHS_ERR_REQUEST_STALE`.
 */
export interface FreshnessRule {
  /** Lower-case header holding the timestamp. @default "date" (unless `body` is set) */
  header?: string;
  /** A dotted path into the decoded body holding it instead (`request.timestamp`). */
  body?: string;
  /** How it is written. @default "http-date" */
  format?: TimestampFormat;
  /** Oldest accepted age in ms. */
  maxAge: number;
  /** Furthest accepted into the future, ms. @default Infinity */
  maxAhead?: number;
}

/** An HTTP answer in the platform's format. */
export interface AdapterResponse {
  status: number;
  /** JSON body; absent for an empty body (204) or a text one. */
  body?: unknown;
  /** A body that is not JSON (XML, plain text), sent as it is with `type`. */
  text?: string;
  /** The media type of `text`. @default "text/plain; charset=utf-8" */
  type?: string;
  /**
   * The body's JSON text, when the adapter writes it itself from a template (its most common
   * answer, e.g. text only); exactly `JSON.stringify(body)`, which the conformance suite
   * checks. Carriers send it instead of stringifying `body`: in a server under load,
   * `JSON.stringify` of a few nested objects costs several µs (docs/performance.md).
   */
  json?: string;
}

/** Input for `sample()`: the routing keys and values of a turn to build. */
export interface SampleTurn {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  params?: Record<string, unknown>;
  text?: string;
  sessionId?: string;
  lang?: string;
  /** The delivery id, for platforms whose requests carry one (the dedupe key). @default a fixed id */
  deliveryId?: string;
  /** Active contexts, where the platform sends them (a conversation carried from turn to turn). */
  contexts?: readonly TurnContext[];
  /** Session values set by earlier turns, where the platform sends them back. */
  values?: Record<string, unknown>;
  /** The current page (Dialogflow CX: a page's full resource name), where the platform has pages. */
  page?: string;
}

/** One route as `routes`/Rasa's `/actions` listing sees it. */
export interface RouteSummary {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
}

/** A GET answer an adapter adds beside its webhook. A path a webhook already uses is left to it. */
export interface AdapterListing {
  /** The GET path, from the webhook's path. */
  path(webhookPath: string): string;
  /** Behind the webhook's auth (header checks only: a GET has no body to sign). */
  authenticated: boolean;
  body(routes: readonly RouteSummary[]): unknown;
}

export interface PlatformAdapter {
  /** Name used in config (`platform: dialogflow-cx`). */
  readonly name: string;
  /** Other names accepted in config (`dialogflow-v1` → `apiai`). */
  readonly aliases: readonly string[];
  /** One line for `routes`, `--help` and errors. */
  readonly description: string;
  /** JSON schema of the request body; compiled once by ajv. A failure answers 400 naming the field. */
  readonly requestSchema: object;
  /** JSON schema of a valid response body; checked in development and in tests. */
  readonly responseSchema: object;
  /** Signature defaults when `auth.signature` is configured without header/algorithm. */
  readonly signature?: SignatureDefaults;
  /** The platform's own signature scheme (see SignatureScheme): the default of its webhooks' `auth.signature`. */
  readonly signatureScheme?: SignatureScheme;
  /** The media types its requests come as. @default [jsonBody] */
  readonly bodies?: readonly BodyDecoder[];
  /** Reject requests whose date header is older than this. */
  readonly freshness?: FreshnessRule;
  /** Default dedupe key (dotted path into the body, or `header:NAME`). */
  readonly dedupeKey?: string;
  /** Handler deadline when none is configured, a little under the platform's own. */
  readonly defaultTimeout: number;
  /** Top-level request keys no other platform sends (`queryResult`): a body carrying one is
   * never taken for another platform's, whatever their detect() says. */
  readonly ownKeys?: readonly string[];
  /** Cheap shape test of this platform's own keys. Never throws. */
  detect(body: unknown): boolean;
  /** A schema-valid request body → normalized turn. */
  parse(body: unknown, headers: Headers): Turn;
  /** A reply, or null for "no answer" → the HTTP answer. `reply.native` is deep-merged last. */
  serialize(reply: Reply | null, turn: Turn): AdapterResponse;
  /**
   * The platform's own verification request on the webhook path (a GET with a challenge),
   * answered before auth and routing; undefined: not one, carry on (a GET then gets 405).
   */
  handshake?(request: HandshakeRequest): AdapterResponse | undefined;
  /** The answer when no route matches and no fallback is set; undefined → 404 WHS_ERR_NO_ROUTE. */
  noRoute?(turn: Turn): AdapterResponse | undefined;
  /** GET answers the platform's tooling expects beside the webhook (Rasa: `<path>/actions`, `/health`). */
  readonly listings?: readonly AdapterListing[];
  /** Smallest valid request for a turn: powers `send`, the testing helper and the conformance suite. */
  sample(input: SampleTurn): unknown;
}
