/**
 * @module Clustaar step webhooks: `conversation.step_reached` in, `{actions, session}` out.
 * Wire format: https://github.com/Clustaar/clustaar.webhook (router, middlewares) and
 * https://github.com/Clustaar/clustaar.schemas (src/clustaar/schemas/v1.py).
 */
import type { Headers, Reply, RichMessage, Turn } from "../types.js";
import { clustaarSignedContent } from "./clustaar-signed-content.js";
import type { AdapterResponse, PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, replyTexts, mergeNative } from "./json.js";

const requestSchema = {
  $id: "webhook-serve/clustaar/request",
  type: "object",
  required: ["botID", "topic", "data"],
  properties: {
    botID: { type: "string" },
    timestamp: { type: "integer" },
    topic: { type: "string", minLength: 1 },
    type: { type: "string" },
    data: {
      type: "object",
      properties: {
        type: { type: "string" },
        channel: { type: "string" },
        interlocutor: {
          type: "object",
          properties: { id: { type: "string" }, customAttributes: { type: ["object", "null"] } },
        },
        session: {
          type: ["object", "null"],
          properties: { values: { type: ["object", "null"] } },
        },
        step: {
          type: "object",
          properties: { id: { type: "string" }, name: { type: "string" }, actions: { type: "array" } },
        },
        input: {
          type: ["object", "null"],
          required: ["type"],
          properties: { type: { type: "string" }, text: { type: "string" }, name: { type: "string" } },
        },
      },
    },
  },
} as const;

const actionSchema = { type: "object", required: ["type"], properties: { type: { type: "string" } } } as const;

const responseSchema = {
  $id: "webhook-serve/clustaar/response",
  type: "object",
  required: ["actions"],
  properties: {
    actions: {
      type: "array",
      items: {
        allOf: [
          actionSchema,
          {
            if: { type: "object", properties: { type: { const: "send_text_action" } } },
            then: {
              type: "object",
              required: ["alternatives"],
              properties: {
                // clustaar.schemas constants: 1–10 alternatives of 1–1000 characters.
                alternatives: {
                  type: "array",
                  minItems: 1,
                  maxItems: 10,
                  items: { type: "string", minLength: 1, maxLength: 1000 },
                },
              },
            },
          },
        ],
      },
    },
    session: {
      type: ["object", "null"],
      required: ["values"],
      properties: { values: { type: ["object", "null"] } },
    },
    interlocutor: { type: ["object", "null"] },
  },
} as const;

const URL_PATTERN = /^https?:\/\//i;

/** A button action: open a URL, else send the postback back as the user's message. */
function buttonAction(postback: string): Record<string, unknown> {
  return URL_PATTERN.test(postback)
    ? { type: "open_url_action", url: postback }
    : { type: "legacy_reply_to_message_action", message: postback };
}

/** A rich message → a Clustaar action, or undefined when it cannot be formed validly. */
function messageAction(message: RichMessage): Record<string, unknown> | undefined {
  if ("text" in message) {
    const alternatives = replyTexts(message);
    return alternatives.length > 0 ? { type: "send_text_action", alternatives } : undefined;
  }
  if ("image" in message) {
    const { imageUrl, accessibilityText } = message.image;
    return { type: "send_image_action", imageURL: imageUrl, alt: accessibilityText ?? null };
  }
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons = [] } = message.card;
    return {
      type: "send_cards_action",
      cards: [
        {
          type: "card",
          title,
          subtitle: subtitle ?? null,
          imageURL: imageUrl ?? null,
          buttons: buttons.map((b) => ({ type: "button", title: b.text, action: buttonAction(b.postback ?? b.text) })),
        },
      ],
    };
  }
  if ("quickReplies" in message) {
    const { title, replies } = message.quickReplies;
    // send_quick_replies_action needs a message and at least one button.
    if (title === undefined || title === "" || replies.length === 0) return undefined;
    return {
      type: "send_quick_replies_action",
      message: title,
      buttons: replies.map((r) => ({ type: "quick_reply", title: r, action: buttonAction(r) })),
    };
  }
  // Dialogflow CX's audio, handoff and end-of-interaction messages have no Clustaar form.
  if (!("payload" in message)) return undefined;
  // A custom payload that is already a Clustaar action is sent as it is.
  return typeof message.payload.type === "string" ? message.payload : undefined;
}

export const clustaar: PlatformAdapter = {
  name: "clustaar",
  aliases: [],
  description: "Clustaar step webhook (conversation.step_reached → {actions, session})",
  requestSchema,
  responseSchema,
  replyDocs: {
    text: "`send_text_action` (several: alternatives)",
    messages: "card, quick-reply and image actions",
    session: "`session.values`",
    actions: "appended to `actions`",
  },
  signature: {
    header: "x-hub-signature",
    algorithm: "sha1",
    encoding: "hex",
    prefix: "sha1=",
    signedContent: clustaarSignedContent,
  },
  // replay_prevention_middleware: request_max_age=10 s by default.
  freshness: { header: "date", maxAge: 10_000 },
  // Clustaar's own timeout is not documented; stay well under common 5 s limits.
  defaultTimeout: 4500,

  detect(body: unknown): boolean {
    if (!isRecord(body)) return false;
    if (typeof body.topic !== "string" || !("botID" in body) || !isRecord(body.data)) return false;
    // The older request fixture has no data.type, but always a step.
    return body.data.type === "step_reached_event" || isRecord(body.data.step);
  },

  parse(body: unknown, headers: Headers): Turn {
    const req = recordOr(body);
    const data = recordOr(req.data);
    const values = { ...recordOr(recordOr(data.session).values) };
    const input = recordOr(data.input);
    return {
      platform: "clustaar",
      event: stringOr(req.topic),
      params: { ...values },
      // Only `message` inputs carry text; custom events carry a name.
      text: stringOr(input.text),
      // The interlocutor is the end user, the closest thing to a session Clustaar sends.
      session: { id: stringOr(recordOr(data.interlocutor).id), values },
      contexts: [],
      raw: body,
      headers,
    };
  },

  serialize(reply: Reply | null): AdapterResponse {
    if (reply === null) return { status: 200, body: { actions: [], session: null } };
    const actions: unknown[] = [];
    // Several strings are alternatives of one message; Clustaar picks one.
    const alternatives = replyTexts(reply);
    if (alternatives.length > 0) actions.push({ type: "send_text_action", alternatives });
    for (const message of reply.messages ?? []) {
      if (message.platform !== undefined) continue; // for a channel Clustaar does not have
      const action = messageAction(message);
      if (action !== undefined) actions.push(action);
    }
    actions.push(...(reply.actions ?? []));
    const body = { actions, session: reply.session !== undefined ? { values: reply.session.values } : null };
    return { status: 200, body: mergeNative(body, reply.native) };
  },

  sample(input: SampleTurn): unknown {
    return {
      botID: "4321",
      timestamp: 1514998709,
      topic: input.event ?? "conversation.step_reached",
      type: "notification_event",
      data: {
        type: "step_reached_event",
        channel: "web",
        interlocutor: { id: input.sessionId ?? "123", customAttributes: {} },
        session: { values: { ...input.values, ...input.params } },
        step: { id: "507f191e810c19729de860ea", name: "A step", userData: "{}", actions: [] },
        input:
          input.text !== undefined
            ? { type: "message", text: input.text, attachments: [] }
            : { type: "custom_event", name: "event1" },
      },
    };
  },
};
