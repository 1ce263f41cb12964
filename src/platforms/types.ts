/**
 * @module The platform adapter interface. An adapter is one wire format: it recognises
 * a request body, turns it into a normalized Turn, and turns a Reply back into the
 * platform's response. Adapters are pure: no I/O, no logging, no clock. Every adapter
 * passes the shared conformance suite in test/platforms/conformance.ts.
 */
import type { FreshnessRule, SignatureDefaults, SignatureScheme } from "../auth/types.js";
import type { AuthConfig } from "../config/types.js";
import type { Headers, Reply, Turn, TurnContext } from "../types.js";
import type { BodyDecoder } from "./body-decoders.js";

export type { BodyDecoder } from "./body-decoders.js";
// Auth's words, declared there (a platform file names them on its adapter).
export type { FreshnessRule, SignatureDefaults } from "../auth/types.js";

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

/** One reply key's JSON schema; the description is what editors and docs/handlers.md show. */
export interface ReplyFieldSchema {
  readonly description: string;
  readonly [keyword: string]: unknown;
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
interface AdapterListing {
  /** The GET path, from the webhook's path. */
  path(webhookPath: string): string;
  /** Behind the webhook's auth (header checks only: a GET has no body to sign). */
  authenticated: boolean;
  body(routes: readonly RouteSummary[]): unknown;
}

/**
 * How a platform's events travel over a WebSocket on its webhook path (`transport: websocket`).
 * Each inbound text frame is parsed as JSON with the body limits (`bodyLimit`, `maxDepth`);
 * each event in it is answered by the core exactly as one POST body would be (auth on the
 * upgrade's headers, schema, routing, handlers, `serialize`), and the frames its answer becomes
 * are sent in the order the events arrived. Error answers (status 400 and up) are the
 * carrier's: the error body as a text frame. Pure, like the rest of the adapter.
 */
export interface SocketFraming {
  /** One parsed frame → the request bodies it carries, each answered on its own. @default [frame] */
  events?(frame: unknown): readonly unknown[];
  /** The answer to `event` (status under 400) → the text frames to send, in order; [] sends nothing. */
  frames(response: AdapterResponse, event: unknown): readonly string[];
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
  /**
   * Reply keys only this platform has, each a JSON schema with a `description`: they join the
   * reply's schema (static replies are checked against it; editors offer them). Their types go
   * on `PlatformReplyFields` in the same file (`declare module "../types.js"`).
   */
  readonly replyFields?: Readonly<Record<string, ReplyFieldSchema>>;
  /**
   * Where each reply key goes in this platform's answer, for the table in docs/handlers.md
   * (`{ text: "\`speech\` (joined)" }`); a key it leaves out is ignored on this platform.
   */
  readonly replyDocs?: Readonly<Record<string, string>>;
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
  /** Events over a WebSocket on the webhook path; without it `transport: websocket` is a config error. */
  readonly socket?: SocketFraming;
  /** Smallest valid request for a turn: powers `send`, the testing helper and the conformance suite. */
  sample(input: SampleTurn): unknown;
}
