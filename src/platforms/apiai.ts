/**
 * @module The API.AI / Dialogflow v1 adapter (`apiai`, alias `dialogflow-v1`).
 * Wire format: https://api.ai/docs/fulfillment (request/response), message objects:
 * https://dialogflow.com/docs/reference/message-objects ; also accepts the minimal body of
 * the `apiaiwebhook` test client, `{"result": {"action": …, "parameters": {…}}}`
 * (https://pypi.org/project/apiaiwebhook/).
 */
import type { Reply, RichMessage, Turn, TurnContext } from "../types.js";
import type { PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, compact, replyTexts, joinedText, mergeNative, readContexts, nonEmpty } from "./json.js";

/** The reply key only API.AI has (its type; the schema is the adapter's `replyFields`). */
declare module "../types.js" {
  interface PlatformReplyFields {
    /** Text shown on screen when it differs from the spoken text (API.AI `displayText`). */
    displayText?: string;
  }
}

/** `source` in every answer unless `native` overrides it. */
const APIAI_SOURCE = "webhook-serve";

const contextSchema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string" },
    lifespan: { type: "integer", minimum: 0 },
    parameters: { type: "object" },
  },
} as const;

// Only `result` is required: the apiaiwebhook test client sends nothing else.
const requestSchema = {
  type: "object",
  required: ["result"],
  properties: {
    id: { type: "string" },
    timestamp: { type: "string" },
    lang: { type: "string" },
    sessionId: { type: "string" },
    status: { type: "object" },
    result: {
      type: "object",
      properties: {
        source: { type: "string" },
        resolvedQuery: { type: "string" },
        action: { type: "string" },
        actionIncomplete: { type: "boolean" },
        parameters: { type: "object" },
        contexts: { type: "array", items: contextSchema },
        metadata: {
          type: "object",
          properties: { intentId: { type: "string" }, intentName: { type: "string" } },
        },
        fulfillment: { type: "object" },
      },
    },
    originalRequest: { type: "object" },
  },
} as const;

const nullableString = { type: ["string", "null"] } as const;

/** v1 message objects: type 0 text, 1 card, 2 quick replies, 3 image, 4 custom payload (+ AoG string types). */
const messageSchema = {
  type: "object",
  required: ["type"],
  properties: {
    type: { anyOf: [{ enum: [0, 1, 2, 3, 4, "0", "1", "2", "3", "4"] }, { type: "string" }] },
    platform: { type: "string" },
    speech: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    title: { type: "string" },
    subtitle: { type: "string" },
    imageUrl: { type: "string" },
    buttons: {
      type: "array",
      items: {
        type: "object",
        required: ["text"],
        properties: { text: { type: "string" }, postback: { type: "string" } },
      },
    },
    replies: { type: "array", items: { type: "string" } },
    payload: { type: "object" },
  },
  allOf: [
    { if: { properties: { type: { enum: [0, "0"] } } }, then: { required: ["speech"] } },
    { if: { properties: { type: { enum: [1, "1"] } } }, then: { required: ["title"] } },
    { if: { properties: { type: { enum: [2, "2"] } } }, then: { required: ["replies"] } },
    { if: { properties: { type: { enum: [3, "3"] } } }, then: { required: ["imageUrl"] } },
    { if: { properties: { type: { enum: [4, "4"] } } }, then: { required: ["payload"] } },
  ],
} as const;

// Nulls are allowed because apiaiwebhook's make_response_apiai() sends all six keys, nulls included.
const responseSchema = {
  type: "object",
  properties: {
    speech: nullableString,
    displayText: nullableString,
    data: { type: ["object", "null"] },
    contextOut: { type: ["array", "null"], items: contextSchema },
    source: nullableString,
    followupEvent: {
      type: ["object", "null"],
      required: ["name"],
      properties: { name: { type: "string", minLength: 1 }, data: { type: "object" } },
    },
    messages: { type: "array", items: messageSchema },
  },
} as const;

/** v1 `contexts`: names as they are, `lifespan`. */
const parseContexts = (value: unknown): TurnContext[] => readContexts(value, "lifespan", (name) => name);

/** v1 names platforms in lower case (`facebook`, `google`); accept ES spellings too. */
function v1Platform(platform: string | undefined): string | undefined {
  if (platform === undefined) return undefined;
  const lower = platform.toLowerCase();
  return lower === "actions_on_google" ? "google" : lower;
}

/** A rich message as a v1 message object. */
function toV1Message(message: RichMessage): Record<string, unknown> | undefined {
  const platform = v1Platform(message.platform);
  if ("text" in message) return compact({ type: 0, platform, speech: message.text });
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons } = message.card;
    return compact({
      type: 1,
      platform,
      title,
      subtitle,
      imageUrl,
      buttons: buttons?.map((b) => compact({ text: b.text, postback: b.postback })),
    });
  }
  if ("quickReplies" in message) {
    return compact({ type: 2, platform, title: message.quickReplies.title, replies: message.quickReplies.replies });
  }
  if ("image" in message) return compact({ type: 3, platform, imageUrl: message.image.imageUrl });
  if ("payload" in message) return compact({ type: 4, platform, payload: message.payload });
  return undefined;
}

/**
 * Text choices (v1 has one `speech` string):
 * - `speech` is every text joined with a space, so voice and text-only clients get all of it;
 *   `displayText` is `reply.displayText`, else the same as `speech`.
 * - `messages[]` is sent only when it adds something (several texts, or rich messages): then
 *   it holds one type-0 message per text, followed by the rich messages, because clients that
 *   read `messages` ignore `speech`. A single plain text stays `{speech, displayText}` only.
 * - Only present fields are sent (apiaiwebhook sends nulls; v1 accepts both).
 */
function serializeReply(reply: Reply): Record<string, unknown> {
  const texts = replyTexts(reply);
  const speech = joinedText(reply) ?? reply.displayText;
  const rich = (reply.messages ?? []).map(toV1Message).filter((m) => m !== undefined);
  const messages =
    rich.length > 0 || texts.length > 1 ? [...texts.map((t) => ({ type: 0, speech: t })), ...rich] : undefined;
  const followup = reply.followupEvent;
  return compact({
    speech,
    displayText: reply.displayText ?? speech,
    messages,
    data: reply.data,
    contextOut: reply.contexts?.map((c) => compact({ name: c.name, lifespan: c.lifespan, parameters: c.params })),
    source: APIAI_SOURCE,
    followupEvent: followup && compact({ name: followup.name, data: followup.params }),
  });
}

/** The smallest realistic v1 request (shape of the fixture). Fixed id and timestamp: adapters are pure. */
function sample(input: SampleTurn): unknown {
  return {
    id: input.deliveryId ?? "00000000-0000-4000-8000-000000000001",
    timestamp: "2017-02-09T16:06:01.908Z",
    lang: input.lang ?? "en",
    sessionId: input.sessionId ?? "webhook-serve-session",
    status: { code: 200, errorType: "success" },
    result: compact({
      source: "agent",
      resolvedQuery: input.text,
      action: input.action ?? "",
      actionIncomplete: false,
      parameters: { ...input.params },
      contexts: (input.contexts ?? []).map((c) => compact({ name: c.name, lifespan: c.lifespan, parameters: c.params })),
      metadata: compact({
        intentId: input.intent === undefined ? undefined : "00000000-0000-4000-8000-000000000002",
        webhookUsed: "true",
        webhookForSlotFillingUsed: "false",
        intentName: input.intent,
      }),
      fulfillment: { speech: "", messages: [] },
      score: 1,
    }),
  };
}

export const apiai: PlatformAdapter = {
  name: "apiai",
  aliases: ["dialogflow-v1"],
  description: "API.AI / Dialogflow v1 fulfillment webhook (result.action, result.metadata.intentName)",
  requestSchema,
  responseSchema,
  replyFields: {
    displayText: { type: "string", description: "API.AI: text shown on screen when it differs from the spoken text." },
  },
  replyDocs: {
    text: "`speech` (joined) + one `messages` text each",
    data: "`data`",
    messages: "`messages` (types 0–4)",
    contexts: "`contextOut`",
    followupEvent: "`followupEvent`",
    displayText: "`displayText`",
  },
  dedupeKey: "id",
  // Platform limit is 5 s (10 s for Google Assistant).
  ownKeys: ["result"],
  defaultTimeout: 4500,

  detect(body) {
    if (!isRecord(body) || !isRecord(body.result)) return false;
    const result = body.result;
    return (
      ["sessionId", "lang", "status", "id"].some((key) => key in body) ||
      typeof result.action === "string" ||
      isRecord(result.metadata)
    );
  },

  parse(body, headers): Turn {
    const root = recordOr(body);
    const result = recordOr(root.result);
    return compact({
      platform: "apiai",
      intent: nonEmpty(recordOr(result.metadata).intentName),
      // v1 sends "" when the intent has no action: treat it as absent.
      action: nonEmpty(result.action),
      params: { ...recordOr(result.parameters) },
      text: stringOr(result.resolvedQuery),
      session: compact({ id: stringOr(root.sessionId), values: {} }),
      contexts: parseContexts(result.contexts),
      lang: stringOr(root.lang),
      raw: body,
      headers,
    });
  },

  serialize(reply) {
    // "No answer": an empty object; the agent then uses its own response (client sees 206).
    if (reply === null) return { status: 200, body: {} };
    return { status: 200, body: mergeNative(serializeReply(reply), reply.native) };
  },

  sample,
};
