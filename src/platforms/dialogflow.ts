/**
 * @module The Dialogflow ES (API v2) adapter (`dialogflow`, alias `dialogflow-es`).
 * Wire format: https://cloud.google.com/dialogflow/es/docs/fulfillment-webhook ,
 * WebhookResponse: https://cloud.google.com/dialogflow/es/docs/reference/rest/v2/WebhookResponse ,
 * messages: https://cloud.google.com/dialogflow/es/docs/reference/rest/v2/projects.agent.intents#Message
 */
import type { Reply, RichMessage, Turn, TurnContext } from "../types.js";
import type { PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, compact, replyMessages, replyTexts, textMessagesJson, joinedText, mergeNative, readContexts, nonEmpty, textMessageObject } from "./json.js";

/** `source` in every answer unless `native` overrides it. */
const DIALOGFLOW_SOURCE = "webhook-serve";
const SOURCE_JSON = JSON.stringify(DIALOGFLOW_SOURCE);

const CONTEXTS = "/contexts/";

/** `Intent.Message.Platform` enum values. */
const ES_PLATFORMS = [
  "PLATFORM_UNSPECIFIED",
  "FACEBOOK",
  "SLACK",
  "TELEGRAM",
  "KIK",
  "SKYPE",
  "LINE",
  "VIBER",
  "ACTIONS_ON_GOOGLE",
  "GOOGLE_HANGOUTS",
] as const;

/** The `Intent.Message` union members: exactly one per message. */
const MESSAGE_KINDS = [
  "text",
  "image",
  "quickReplies",
  "card",
  "payload",
  "simpleResponses",
  "basicCard",
  "suggestions",
  "linkOutSuggestion",
  "listSelect",
  "carouselSelect",
  "browseCarouselCard",
  "tableCard",
  "mediaContent",
  "telephonyPlayAudio",
  "telephonySynthesizeSpeech",
  "telephonyTransferCall",
  "rbmText",
  "rbmStandaloneRichCard",
  "rbmCarouselRichCard",
] as const;

const stringArray = { type: "array", items: { type: "string" } } as const;

const requestSchema = {
  type: "object",
  required: ["session", "queryResult"],
  properties: {
    responseId: { type: "string" },
    session: { type: "string", minLength: 1 },
    queryResult: {
      type: "object",
      properties: {
        queryText: { type: "string" },
        languageCode: { type: "string" },
        action: { type: "string" },
        parameters: { type: "object" },
        allRequiredParamsPresent: { type: "boolean" },
        intent: {
          type: "object",
          properties: { name: { type: "string" }, displayName: { type: "string" } },
        },
        outputContexts: {
          type: "array",
          items: {
            type: "object",
            required: ["name"],
            properties: {
              name: { type: "string" },
              lifespanCount: { type: "integer" },
              parameters: { type: "object" },
            },
          },
        },
        fulfillmentMessages: { type: "array" },
      },
    },
    originalDetectIntentRequest: { type: "object" },
  },
} as const;

const messageSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    platform: { enum: ES_PLATFORMS },
    text: { type: "object", properties: { text: stringArray } },
    image: {
      type: "object",
      properties: { imageUri: { type: "string" }, accessibilityText: { type: "string" } },
    },
    quickReplies: {
      type: "object",
      properties: { title: { type: "string" }, quickReplies: stringArray },
    },
    card: {
      type: "object",
      properties: {
        title: { type: "string" },
        subtitle: { type: "string" },
        imageUri: { type: "string" },
        buttons: {
          type: "array",
          items: {
            type: "object",
            properties: { text: { type: "string" }, postback: { type: "string" } },
          },
        },
      },
    },
    payload: { type: "object" },
    ...Object.fromEntries(MESSAGE_KINDS.slice(5).map((kind) => [kind, { type: "object" }])),
  },
  oneOf: MESSAGE_KINDS.map((kind) => ({ required: [kind] })),
};

const responseSchema = {
  type: "object",
  properties: {
    fulfillmentText: { type: "string" },
    fulfillmentMessages: { type: "array", items: messageSchema },
    source: { type: "string" },
    payload: { type: "object" },
    outputContexts: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        properties: {
          // Full resource names: a short name here is the usual mistake.
          name: { type: "string", pattern: "^projects/.+/sessions/[^/]+/contexts/[^/]+$" },
          lifespanCount: { type: "integer", minimum: 0 },
          parameters: { type: "object" },
        },
      },
    },
    followupEventInput: {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string", minLength: 1 },
        languageCode: { type: "string" },
        parameters: { type: "object" },
      },
    },
    sessionEntityTypes: { type: "array" },
  },
};

/** `projects/p/agent/sessions/s/contexts/weather` → `weather`. */
export function shortContextName(name: string): string {
  const at = name.lastIndexOf(CONTEXTS);
  return at === -1 ? name : name.slice(at + CONTEXTS.length);
}

/** `weather` → `<session>/contexts/weather`; full names pass through. */
export function fullContextName(session: string | undefined, name: string): string {
  if (name.includes(CONTEXTS) || session === undefined) return name;
  return `${session}${CONTEXTS}${name}`;
}

/** ES `outputContexts`: short names, `lifespanCount`. */
const parseContexts = (value: unknown): TurnContext[] => readContexts(value, "lifespanCount", shortContextName);

/** ES uses enum names (`FACEBOOK`); accept v1 spellings (`facebook`, `google`) too. */
function esPlatform(platform: string | undefined): string | undefined {
  if (platform === undefined) return undefined;
  const upper = platform.toUpperCase();
  if (upper === "GOOGLE") return "ACTIONS_ON_GOOGLE";
  if (upper === "HANGOUTS") return "GOOGLE_HANGOUTS";
  return upper;
}

/** One text as an ES `Intent.Message`. */

/** A rich message as an ES `Intent.Message`. */
function toEsMessage(message: RichMessage): Record<string, unknown> | undefined {
  const platform = esPlatform(message.platform);
  if ("text" in message) {
    return compact({ platform, text: { text: Array.isArray(message.text) ? message.text : [message.text] } });
  }
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons } = message.card;
    return compact({
      platform,
      card: compact({
        title,
        subtitle,
        imageUri: imageUrl,
        buttons: buttons?.map((b) => compact({ text: b.text, postback: b.postback })),
      }),
    });
  }
  if ("quickReplies" in message) {
    return compact({
      platform,
      quickReplies: compact({ title: message.quickReplies.title, quickReplies: message.quickReplies.replies }),
    });
  }
  if ("image" in message) {
    const { imageUrl, accessibilityText } = message.image;
    return compact({ platform, image: compact({ imageUri: imageUrl, accessibilityText }) });
  }
  if ("payload" in message) return compact({ platform, payload: message.payload });
  return undefined;
}

/**
 * Text choices (consistent with `apiai`): `fulfillmentText` is every text joined with a
 * space (what voice and text-only integrations read); `fulfillmentMessages` holds one text
 * message per string, then the rich messages, and is sent whenever there is any message.
 * `followupEventInput.languageCode` is the event's `lang`, else the request's languageCode.
 */
function serializeReply(reply: Reply, turn: Turn): Record<string, unknown> {
  const messages = replyMessages(reply, textMessageObject, toEsMessage);
  const followup = reply.followupEvent;
  return compact({
    fulfillmentText: joinedText(reply),
    fulfillmentMessages: messages.length > 0 ? messages : undefined,
    source: DIALOGFLOW_SOURCE,
    payload: reply.data,
    outputContexts: reply.contexts?.map((c) =>
      compact({ name: fullContextName(turn.session.id, c.name), lifespanCount: c.lifespan, parameters: c.params }),
    ),
    followupEventInput:
      followup &&
      compact({ name: followup.name, languageCode: followup.lang ?? turn.lang, parameters: followup.params }),
  });
}

/**
 * A reply with text and nothing else ES sends (no data, messages, contexts, followup event or
 * native): the JSON serializeReply's body stringifies to, from a template, with the same keys
 * in the same order. Undefined for any other reply.
 */
function textOnlyJson(reply: Reply): string | undefined {
  if (reply.data !== undefined || reply.messages !== undefined || reply.contexts !== undefined || reply.followupEvent !== undefined || reply.native !== undefined) return undefined;
  const texts = replyTexts(reply);
  const text = joinedText(reply);
  if (texts.length === 0 || text === undefined) return undefined;
  return `{"fulfillmentText":${JSON.stringify(text)},"fulfillmentMessages":[${textMessagesJson(texts)}],"source":${SOURCE_JSON}}`;
}

/** The session name for a sample: a full name passes through, a bare id gets a project around it. */
function sampleSession(sessionId: string | undefined): string {
  const id = sessionId ?? "webhook-serve-session";
  return id.startsWith("projects/") ? id : `projects/webhook-serve/agent/sessions/${id}`;
}

/** The smallest realistic ES request (shape of the fixture). Fixed ids: adapters are pure. */
function sample(input: SampleTurn): unknown {
  return {
    responseId: input.deliveryId ?? "00000000-0000-4000-8000-000000000003",
    session: sampleSession(input.sessionId),
    queryResult: compact({
      queryText: input.text,
      parameters: { ...input.params },
      allRequiredParamsPresent: true,
      outputContexts: (input.contexts ?? []).map((c) => compact({ name: `${sampleSession(input.sessionId)}/contexts/${c.name}`, lifespanCount: c.lifespan, parameters: c.params })),
      intent:
        input.intent === undefined
          ? undefined
          : { name: "projects/webhook-serve/agent/intents/00000000-0000-4000-8000-000000000004", displayName: input.intent },
      intentDetectionConfidence: 1,
      languageCode: input.lang ?? "en",
      action: input.action,
    }),
    originalDetectIntentRequest: { source: "webhook-serve", version: "2", payload: {} },
  };
}

export const dialogflow: PlatformAdapter = {
  name: "dialogflow",
  aliases: ["dialogflow-es"],
  description: "Dialogflow ES (v2) fulfillment webhook (queryResult.intent.displayName, queryResult.action)",
  requestSchema,
  responseSchema,
  replyDocs: {
    text: "`fulfillmentText` (joined) + `fulfillmentMessages`",
    data: "`payload`",
    messages: "`fulfillmentMessages` (with their `platform`)",
    contexts: "`outputContexts` (full names)",
    followupEvent: "`followupEventInput`",
  },
  dedupeKey: "responseId",
  // Platform limit is 5 s (10 s for Google Assistant).
  ownKeys: ["queryResult"],
  defaultTimeout: 4500,

  detect(body) {
    return isRecord(body) && isRecord(body.queryResult) && typeof body.session === "string";
  },

  parse(body, headers): Turn {
    const root = recordOr(body);
    const result = recordOr(root.queryResult);
    return compact({
      platform: "dialogflow",
      intent: nonEmpty(recordOr(result.intent).displayName),
      action: nonEmpty(result.action),
      params: { ...recordOr(result.parameters) },
      text: stringOr(result.queryText),
      session: compact({ id: stringOr(root.session), values: {} }),
      contexts: parseContexts(result.outputContexts),
      lang: stringOr(result.languageCode),
      raw: body,
      headers,
    });
  },

  serialize(reply, turn) {
    // "No answer": `{}`; every WebhookResponse field is optional.
    if (reply === null) return { status: 200, body: {} };
    return { status: 200, body: mergeNative(serializeReply(reply, turn), reply.native), json: textOnlyJson(reply) };
  },

  sample,
};
