/**
 * @module Amazon Lex V2 code hooks over HTTP: the POST body is the Lambda input event and the
 * answer is the Lambda result. Wire format:
 * https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html ,
 * https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html ,
 * https://docs.aws.amazon.com/lexv2/latest/dg/lambda-common-structures.html .
 */
import type { Headers, Reply, RichMessage, Turn, TurnContext } from "../types.js";
import type { AdapterResponse, PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, setOwn, replyTexts, isSsml, mergeNative } from "./json.js";

/** The reply keys only Amazon Lex V2 has (their types; the schemas are the adapter's `replyFields`). */
declare module "../types.js" {
  interface PlatformReplyFields {
    /** Amazon Lex V2: slot values to set on the intent (plain values or lists; `null` clears one). */
    slots?: Record<string, unknown>;
    /** Amazon Lex V2 dialog action (default `Close`); `ElicitSlot` needs the slot to ask for. */
    dialogAction?: { type: "Close" | "ConfirmIntent" | "Delegate" | "ElicitIntent"; slotToElicit?: undefined } | { type: "ElicitSlot"; slotToElicit: string };
  }
}

const DIALOG_ACTIONS = ["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"] as const;

/** The intent state sent with each dialog action: Close ends the intent, Delegate keeps the request's. */
const INTENT_STATE: Record<(typeof DIALOG_ACTIONS)[number], string | undefined> = {
  Close: "Fulfilled",
  ConfirmIntent: "InProgress",
  Delegate: undefined,
  ElicitIntent: "InProgress",
  ElicitSlot: "InProgress",
};

const requestSchema = {
  $id: "webhook-serve/lex/request",
  type: "object",
  required: ["messageVersion", "invocationSource", "sessionState", "bot"],
  properties: {
    messageVersion: { type: "string" },
    invocationSource: { type: "string", minLength: 1 },
    inputMode: { type: "string" },
    sessionId: { type: "string" },
    inputTranscript: { type: "string" },
    invocationLabel: { type: ["string", "null"] },
    bot: { type: "object", properties: { name: { type: "string" }, localeId: { type: "string" } } },
    interpretations: { type: "array" },
    requestAttributes: { type: ["object", "null"] },
    sessionState: {
      type: "object",
      properties: {
        sessionAttributes: { type: ["object", "null"] },
        activeContexts: { type: ["array", "null"] },
        intent: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string" },
            state: { type: "string" },
            confirmationState: { type: "string" },
            slots: { type: ["object", "null"] },
          },
        },
      },
    },
  },
} as const;

const responseSchema = {
  $id: "webhook-serve/lex/response",
  type: "object",
  required: ["sessionState"],
  properties: {
    sessionState: {
      type: "object",
      required: ["dialogAction"],
      properties: {
        sessionAttributes: { type: "object", additionalProperties: { type: "string" } },
        dialogAction: {
          type: "object",
          required: ["type"],
          properties: { type: { enum: DIALOG_ACTIONS }, slotToElicit: { type: "string" } },
          if: { properties: { type: { const: "ElicitSlot" } } },
          then: { required: ["slotToElicit"] },
        },
        intent: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string" }, state: { type: "string" }, slots: { type: ["object", "null"] } },
        },
      },
    },
    messages: {
      type: "array",
      items: {
        type: "object",
        required: ["contentType"],
        properties: {
          contentType: { enum: ["CustomPayload", "ImageResponseCard", "PlainText", "SSML"] },
          content: { type: "string" },
          imageResponseCard: {
            type: "object",
            required: ["title"],
            properties: {
              title: { type: "string", minLength: 1 },
              buttons: {
                type: "array",
                maxItems: 5,
                items: { type: "object", required: ["text", "value"] },
              },
            },
          },
        },
        if: { properties: { contentType: { const: "ImageResponseCard" } } },
        then: { required: ["imageResponseCard"] },
        else: { required: ["content"] },
      },
    },
    requestAttributes: { type: "object" },
  },
  // "messages is required when the type is ElicitIntent or ConfirmIntent."
  if: {
    type: "object",
    properties: {
      sessionState: {
        type: "object",
        properties: { dialogAction: { type: "object", properties: { type: { enum: ["ElicitIntent", "ConfirmIntent"] } } } },
      },
    },
  },
  then: { type: "object", required: ["messages"], properties: { messages: { type: "array", minItems: 1 } } },
} as const;

/** One slot's value: interpretedValue (List slots → an array), null when unfilled. */
function slotValue(slot: unknown): unknown {
  if (!isRecord(slot)) return null;
  if (slot.shape === "List" || Array.isArray(slot.values)) {
    return (Array.isArray(slot.values) ? slot.values : []).map(slotValue);
  }
  const value = recordOr(slot.value);
  return value.interpretedValue ?? value.originalValue ?? null;
}

function readContexts(value: unknown): TurnContext[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((c) => {
    const turns = recordOr(c.timeToLive).turnsToLive;
    return {
      name: stringOr(c.name) ?? "",
      lifespan: typeof turns === "number" ? turns : undefined,
      params: recordOr(c.contextAttributes),
    };
  });
}

/** Session attributes are a string→string map: null deletes, other values become JSON text. */
function mergeAttributes(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...base, ...update })) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

function textMessage(content: string): Record<string, unknown> {
  return { contentType: isSsml(content) ? "SSML" : "PlainText", content };
}

/** A rich message → Lex messages; kinds without a valid Lex shape are skipped. */
function richMessages(message: RichMessage): Record<string, unknown>[] {
  if ("text" in message) return replyTexts(message).map(textMessage);
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons = [] } = message.card;
    const card = {
      title,
      ...(subtitle !== undefined ? { subtitle } : {}),
      ...(imageUrl !== undefined ? { imageUrl } : {}),
      ...(buttons.length > 0 ? { buttons: buttons.map((b) => ({ text: b.text, value: b.postback ?? b.text })) } : {}),
    };
    return [{ contentType: "ImageResponseCard", imageResponseCard: card }];
  }
  if ("quickReplies" in message) {
    // An ImageResponseCard needs a title.
    const { title, replies } = message.quickReplies;
    if (title === undefined || title === "") return [];
    const buttons = replies.map((r) => ({ text: r, value: r }));
    return [{ contentType: "ImageResponseCard", imageResponseCard: { title, buttons } }];
  }
  if ("image" in message) {
    const { imageUrl, accessibilityText } = message.image;
    if (accessibilityText === undefined || accessibilityText === "") return [];
    return [{ contentType: "ImageResponseCard", imageResponseCard: { title: accessibilityText, imageUrl } }];
  }
  // Dialogflow CX's audio, handoff and end-of-interaction messages have no Lex form.
  if (!("payload" in message)) return [];
  return [{ contentType: "CustomPayload", content: JSON.stringify(message.payload) }];
}

/**
 * A plain value as a Lex V2 Slot: scalars as `{ shape: Scalar, value }`, lists as
 * `{ shape: List, values }`, null clears the slot.
 * @see https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_Slot.html
 */
function lexSlot(value: unknown): Record<string, unknown> | null {
  if (value === null) return null;
  const one = (v: unknown): Record<string, unknown> => {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    return { originalValue: text, interpretedValue: text, resolvedValues: [text] };
  };
  return Array.isArray(value)
    ? { shape: "List", value: one(value.join(" ")), values: value.map((v) => ({ shape: "Scalar", value: one(v) })) }
    : { shape: "Scalar", value: one(value) };
}

/** The intent with `reply.slots` set over the request's slots. */
function withSlots(intent: Record<string, unknown>, slots: Record<string, unknown> | undefined): Record<string, unknown> {
  if (slots === undefined) return intent;
  const merged: Record<string, unknown> = { ...(intent.slots as Record<string, unknown>) };
  for (const [name, value] of Object.entries(slots)) setOwn(merged, name, lexSlot(value));
  return { ...intent, slots: merged };
}

/** The request's intent, echoed with a new state. */
function intentOf(turn: Turn, state: string | undefined): Record<string, unknown> {
  const intent = recordOr(recordOr(recordOr(turn.raw).sessionState).intent);
  return {
    name: turn.intent ?? stringOr(intent.name) ?? "",
    state: state ?? stringOr(intent.state) ?? "InProgress",
    ...(typeof intent.confirmationState === "string" ? { confirmationState: intent.confirmationState } : {}),
    slots: isRecord(intent.slots) ? intent.slots : {},
  };
}

export const lex: PlatformAdapter = {
  name: "lex",
  aliases: ["lex-v2"],
  description: "Amazon Lex V2 code hook event over HTTP (sessionState/invocationSource → sessionState + messages)",
  requestSchema,
  responseSchema,
  replyFields: {
    slots: { type: "object", description: "Amazon Lex V2: slot values to set on the intent ({ City: Paris }; lists for List slots; null clears one), written as Lex Slot objects; pair with dialogAction ElicitSlot to ask for the next." },
    dialogAction: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      description: "Amazon Lex V2 dialog action; Close when absent. ElicitSlot needs slotToElicit.",
      properties: {
        type: { type: "string", enum: ["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"], description: "Lex dialog action type." },
        slotToElicit: { type: "string", description: "Slot to ask for (ElicitSlot)." },
      },
    },
  },
  replyDocs: {
    text: "`messages` (PlainText or SSML)",
    data: "a `CustomPayload` message",
    messages: "`ImageResponseCard`, `CustomPayload`",
    session: "`sessionAttributes`",
    slots: "`intent.slots`",
    dialogAction: "`sessionState.dialogAction`",
  },
  // The code-hook timeout is not documented numerically; stay under common 5 s limits.
  defaultTimeout: 4500,

  detect(body: unknown): boolean {
    if (!isRecord(body)) return false;
    return (
      typeof body.messageVersion === "string" &&
      typeof body.invocationSource === "string" &&
      isRecord(body.sessionState) &&
      isRecord(body.bot)
    );
  },

  parse(body: unknown, headers: Headers): Turn {
    const req = recordOr(body);
    const state = recordOr(req.sessionState);
    const intent = recordOr(state.intent);
    const params: Record<string, unknown> = {};
    for (const [name, slot] of Object.entries(recordOr(intent.slots))) setOwn(params, name, slotValue(slot));
    return {
      platform: "lex",
      intent: stringOr(intent.name),
      event: stringOr(req.invocationSource),
      params,
      text: stringOr(req.inputTranscript),
      session: { id: stringOr(req.sessionId), values: { ...recordOr(state.sessionAttributes) } },
      contexts: readContexts(state.activeContexts),
      lang: stringOr(recordOr(req.bot).localeId),
      raw: body,
      headers,
    };
  },

  serialize(reply: Reply | null, turn: Turn): AdapterResponse {
    if (reply === null) {
      // Delegate with no messages: Lex carries on with the bot's own configuration.
      return {
        status: 200,
        body: {
          sessionState: {
            sessionAttributes: mergeAttributes(turn.session.values, {}),
            dialogAction: { type: "Delegate" },
            intent: intentOf(turn, undefined),
          },
        },
      };
    }
    const dialogAction = reply.dialogAction ?? { type: "Close" as const };
    const messages = replyTexts(reply).map(textMessage);
    for (const message of reply.messages ?? []) {
      if (message.platform !== undefined) continue; // for a channel Lex does not have
      messages.push(...richMessages(message));
    }
    if (reply.data !== undefined) messages.push({ contentType: "CustomPayload", content: JSON.stringify(reply.data) });
    const body: Record<string, unknown> = {
      sessionState: {
        sessionAttributes: mergeAttributes(turn.session.values, reply.session?.values ?? {}),
        dialogAction: { ...dialogAction },
        intent: withSlots(intentOf(turn, INTENT_STATE[dialogAction.type]), reply.slots),
      },
    };
    if (messages.length > 0) body.messages = messages;
    return { status: 200, body: mergeNative(body, reply.native) };
  },

  sample(input: SampleTurn): unknown {
    const slots: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(input.params ?? {})) slots[name] = lexSlot(value);
    const intentName = input.intent ?? "FallbackIntent";
    return {
      messageVersion: "1.0",
      invocationSource: input.event ?? "FulfillmentCodeHook",
      inputMode: "Text",
      responseContentType: "text/plain; charset=utf-8",
      sessionId: input.sessionId ?? "123456789012",
      inputTranscript: input.text ?? "",
      bot: {
        id: "BOTID12345",
        name: "Bot",
        localeId: input.lang ?? "en_US",
        version: "DRAFT",
        aliasId: "TSTALIASID",
        aliasName: "TestBotAlias",
      },
      interpretations: [],
      requestAttributes: {},
      sessionState: {
        // Lex keeps attributes as strings; other values travel as JSON text.
        sessionAttributes: Object.fromEntries(Object.entries(input.values ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
        activeContexts: (input.contexts ?? []).map((c) => ({
          name: c.name,
          timeToLive: { turnsToLive: c.lifespan ?? 5, timeToLiveInSeconds: 600 },
          contextAttributes: Object.fromEntries(Object.entries(c.params ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
        })),
        intent: { name: intentName, state: "InProgress", confirmationState: "None", slots },
      },
    };
  },
};
