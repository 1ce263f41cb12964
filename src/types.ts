/**
 * @module Public types: the normalized turn a handler receives and the reply it returns.
 * Plain data only; platform adapters translate to and from each wire format.
 */

/** Headers as Node gives them: lower-case names. */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A conversation context (Dialogflow v1/ES output contexts, Lex active contexts). */
export interface TurnContext {
  /** Short name, never the full resource name. */
  name: string;
  lifespan?: number;
  params?: Record<string, unknown>;
}

/**
 * One webhook call, normalized across platforms.
 * @example
 * const handler: Handler = (turn) => ({ text: `Hi ${turn.params.name ?? "friend"}` });
 */
export interface Turn<Params extends Record<string, unknown> = Record<string, unknown>> {
  /** Adapter name (`apiai`, `dialogflow`, …), also when the webhook uses `platform: auto`. */
  platform: string;
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  params: Params;
  /** What the user said or typed, when the platform sends it. */
  text?: string;
  session: { id?: string; values: Record<string, unknown> };
  contexts: TurnContext[];
  lang?: string;
  /** The request body exactly as parsed from JSON. */
  raw: unknown;
  headers: Headers;
}

/** A rich message; adapters map the kinds their platform has and skip the rest. */
export type RichMessage = (
  | { text: string | string[] }
  | { card: { title: string; subtitle?: string; imageUrl?: string; buttons?: { text: string; postback?: string }[] } }
  | { quickReplies: { title?: string; replies: string[] } }
  | { image: { imageUrl: string; accessibilityText?: string } }
  | { payload: Record<string, unknown> }
  // Dialogflow CX ResponseMessage kinds (other platforms skip them):
  // https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/Fulfillment#responsemessage
  /** Spoken SSML (`outputAudioText.ssml`). */
  | { ssml: string; allowPlaybackInterruption?: boolean }
  /** An audio file to play (`playAudio.audioUri`). */
  | { audio: { uri: string; allowPlaybackInterruption?: boolean } }
  /** Hand the conversation to a human agent (`liveAgentHandoff`), with optional metadata. */
  | { handoff: { metadata?: Record<string, unknown> } }
  /** End the conversation after this reply (`endInteraction`). */
  | { endInteraction: true }
) & {
  /**
   * The channel the message is meant for, as the platform names its integrations: Dialogflow
   * v1/ES `platform` (`facebook` → `FACEBOOK`), CX `channel`. Only adapters that have channels
   * send a message that names one; the others skip it. Absent: every channel.
   */
  platform?: string;
};

/** A context to set; `lifespan: 0` clears it. */
export interface ReplyContext {
  name: string;
  lifespan?: number;
  params?: Record<string, unknown>;
}

/**
 * The reply keys one platform has and no other (Dialogflow CX's `targetPage`, Lex's `slots`):
 * each platform file adds its own here (declaration merging), beside the JSON schema of each
 * key on its adapter (`PlatformAdapter.replyFields`). The registry joins those schemas into
 * the reply's; test/unit/platforms/reply-fields.test.ts checks the two sides agree.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface PlatformReplyFields {}

/**
 * What a handler returns (or a static `reply:` renders to). Every field is optional;
 * each adapter serializes the fields its platform supports.
 */
export interface Reply extends PlatformReplyFields {
  /**
   * Text to say; several strings become several messages (or alternatives on Clustaar);
   * `{ random: [...] }` says one of them, picked anew for each turn.
   */
  text?: string | string[] | { random: string[] };
  /** Integration payload (API.AI `data`, Dialogflow ES/CX `payload`). */
  data?: Record<string, unknown>;
  /** Rich messages: cards, quick replies, images, custom payloads. */
  messages?: RichMessage[];
  contexts?: ReplyContext[];
  followupEvent?: { name: string; params?: Record<string, unknown>; lang?: string };
  /** Session values to store; `null` deletes a value where the platform supports it. */
  session?: { values: Record<string, unknown> };
  /** Platform actions (Clustaar actions, AI Flow actions, Rasa events). */
  actions?: unknown[];
  /** Deep-merged into the platform response last (objects merge, arrays and values replace). */
  native?: Record<string, unknown>;
  /**
   * Per-language overrides: `{ de: { text: "Hallo" } }`. The one matching the turn's language
   * (exact tag, then primary subtag: `de-CH` → `de`) is laid over the reply's fields.
   */
  lang?: Record<string, Omit<Reply, "lang">>;
}

/** Given to each handler call beside the turn. */
export interface HandlerContext {
  /** Aborted when the deadline passes; pass it to fetch() and friends. */
  signal: AbortSignal;
  /** Epoch milliseconds by which the reply must be ready. */
  deadline: number;
  /** Request-scoped logger (pino). */
  log: HandlerLogger;
}

export interface HandlerLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

/** What a handler may return: a reply, a string (shorthand for `{ text }`), or `null`/`undefined` for "no answer". */
export type HandlerResult = Reply | string | null | undefined | void;

/**
 * A handler module's default (or named) export. `Params` types `turn.params` (the platform
 * sends what the agent defines; the type is your promise, not a check).
 * @example
 * import type { Handler } from "webhook-serve";
 * const handler: Handler<{ city?: string }> = async (turn) => `It is sunny in ${turn.params.city}.`;
 * export default handler;
 */
export type Handler<Params extends Record<string, unknown> = Record<string, unknown>> = (
  turn: Turn<Params>,
  context: HandlerContext,
) => HandlerResult | Promise<HandlerResult>;
