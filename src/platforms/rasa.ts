/**
 * @module Rasa custom action server: `next_action` + `tracker` in, `{events, responses}` out.
 * Wire format: https://github.com/RasaHQ/rasa-sdk (rasa_sdk/endpoint.py, executor.py) and
 * https://rasa.com/docs/action-server/2.x/events .
 */
import type { Headers, Reply, RichMessage, Turn } from "../types.js";
import type { AdapterResponse, PlatformAdapter, RouteSummary, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, replyTexts, mergeNative } from "./json.js";

const requestSchema = {
  $id: "webhook-serve/rasa/request",
  type: "object",
  required: ["next_action", "tracker"],
  properties: {
    next_action: { type: "string", minLength: 1 },
    sender_id: { type: "string" },
    tracker: {
      type: "object",
      properties: {
        sender_id: { type: "string" },
        slots: { type: "object" },
        latest_message: {
          type: ["object", "null"],
          properties: {
            text: { type: ["string", "null"] },
            intent: { type: ["object", "null"], properties: { name: { type: ["string", "null"] } } },
            entities: { type: "array" },
          },
        },
        events: { type: "array" },
      },
    },
    domain: { type: "object" },
    version: { type: "string" },
  },
} as const;

const responseSchema = {
  $id: "webhook-serve/rasa/response",
  type: "object",
  required: ["events", "responses"],
  properties: {
    // The SDK drops events without an `event` key.
    events: {
      type: "array",
      items: { type: "object", required: ["event"], properties: { event: { type: "string" } } },
    },
    responses: { type: "array", items: { type: "object" } },
  },
} as const;

/** A rich message → a dispatcher response (`dispatcher.utter_message` keys). */
function messageResponses(message: RichMessage): Record<string, unknown>[] {
  if ("text" in message) return replyTexts(message).map((text) => ({ text }));
  if ("image" in message) return [{ image: message.image.imageUrl }];
  if ("quickReplies" in message) {
    const { title, replies } = message.quickReplies;
    // A button's payload is sent back as the user's message.
    const buttons = replies.map((r) => ({ title: r, payload: r }));
    return [title !== undefined ? { text: title, buttons } : { buttons }];
  }
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons = [] } = message.card;
    return [
      {
        text: subtitle !== undefined ? `${title}\n${subtitle}` : title,
        ...(imageUrl !== undefined ? { image: imageUrl } : {}),
        ...(buttons.length > 0
          ? { buttons: buttons.map((b) => ({ title: b.text, payload: b.postback ?? b.text })) }
          : {}),
      },
    ];
  }
  // Dialogflow CX's audio, handoff and end-of-interaction messages have no Rasa form.
  if (!("payload" in message)) return [];
  return [{ custom: message.payload }];
}

export const rasa: PlatformAdapter = {
  name: "rasa",
  aliases: [],
  description: "Rasa custom action server (next_action/tracker → {events, responses})",
  requestSchema,
  responseSchema,
  replyDocs: {
    text: "`responses[].text`",
    data: "a `custom` response",
    messages: "buttons, image, `custom`",
    followupEvent: "a `followup` event",
    session: "`slot` events",
    actions: "appended to `events`",
  },
  // Rasa waits long for actions; a user in a chat does not.
  defaultTimeout: 4500,

  detect(body: unknown): boolean {
    if (!isRecord(body)) return false;
    return typeof body.next_action === "string" && isRecord(body.tracker) && "sender_id" in body;
  },

  parse(body: unknown, headers: Headers): Turn {
    const req = recordOr(body);
    const tracker = recordOr(req.tracker);
    const latest = recordOr(tracker.latest_message);
    const slots = recordOr(tracker.slots);
    return {
      platform: "rasa",
      action: stringOr(req.next_action),
      intent: stringOr(recordOr(latest.intent).name),
      params: { ...slots },
      text: stringOr(latest.text),
      session: { id: stringOr(req.sender_id) ?? stringOr(tracker.sender_id), values: { ...slots } },
      contexts: [],
      raw: body,
      headers,
    };
  },

  serialize(reply: Reply | null): AdapterResponse {
    if (reply === null) return { status: 200, body: { events: [], responses: [] } };
    const responses: Record<string, unknown>[] = replyTexts(reply).map((text) => ({ text }));
    for (const message of reply.messages ?? []) {
      if (message.platform !== undefined) continue; // for a channel Rasa does not have
      responses.push(...messageResponses(message));
    }
    // `data` is the integration payload: Rasa's json_message / custom response.
    if (reply.data !== undefined) responses.push({ custom: reply.data });
    // Same shape as rasa_sdk.events.SlotSet(name, value).
    const events: unknown[] = Object.entries(reply.session?.values ?? {}).map(([name, value]) => ({
      event: "slot",
      timestamp: null,
      name,
      value,
    }));
    events.push(...(reply.actions ?? []));
    if (reply.followupEvent !== undefined) {
      events.push({ event: "followup", timestamp: null, name: reply.followupEvent.name });
    }
    return { status: 200, body: mergeNative({ events, responses }, reply.native) };
  },

  noRoute(turn: Turn): AdapterResponse {
    // rasa_sdk ActionNotFoundException, answered 404 by endpoint.py.
    const name = turn.action ?? "";
    return { status: 404, body: { error: `No registered action found for name '${name}'.`, action_name: name } };
  },

  // rasa_sdk's endpoint.py: GET /actions lists the registered actions, [{"name": "<action>"}, …];
  // GET /health answers {"status": "ok"} without auth, and deployments probe it.
  // https://github.com/RasaHQ/rasa-sdk/blob/main/rasa_sdk/endpoint.py
  listings: [
    {
      path: (webhookPath: string) => `${webhookPath.replace(/\/$/, "")}/actions`,
      authenticated: true,
      body(routes: readonly RouteSummary[]): unknown {
        const names = [...new Set(routes.flatMap((r) => (r.action !== undefined ? [r.action] : [])))];
        return names.map((name) => ({ name }));
      },
    },
    { path: () => "/health", authenticated: false, body: () => ({ status: "ok" }) },
  ],

  sample(input: SampleTurn): unknown {
    const senderId = input.sessionId ?? "2687378567977106";
    return {
      next_action: input.action ?? "action_custom",
      sender_id: senderId,
      tracker: {
        sender_id: senderId,
        slots: { ...input.values, ...input.params },
        latest_message: {
          text: input.text ?? null,
          intent: input.intent !== undefined ? { name: input.intent, confidence: 1 } : {},
          entities: [],
        },
        latest_event_time: 1537645578.314389,
        followup_action: null,
        paused: false,
        events: [],
        latest_input_channel: "rest",
        active_loop: {},
        latest_action_name: "action_listen",
      },
      domain: {
        config: {},
        session_config: {},
        intents: [],
        entities: [],
        slots: {},
        responses: {},
        actions: [],
        forms: {},
        e2e_actions: [],
      },
      version: "3.6.0",
    };
  },
};
