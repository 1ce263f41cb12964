/**
 * @module sipgate AI Flow webhooks (voice): one event in, one action (or 204) out, over HTTP or,
 * with `transport: websocket`, as text frames on a socket AI Flow opens per call.
 * Wire format: https://sipgate.github.io/sipgate-ai-flow-api/api (events, actions, event flow,
 * websocket) and https://github.com/sipgate/n8n-nodes-ai-flow.
 */
import type { Headers, Reply, Turn } from "../types.js";
import type { AdapterResponse, PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, replyTexts, isSsml, mergeNative } from "./json.js";

const requestSchema = {
  $id: "webhook-serve/aiflow/request",
  type: "object",
  required: ["type", "session"],
  properties: {
    // session_start, user_speak, assistant_speak, assistant_speech_ended, user_input_timeout, session_end, …
    type: { type: "string", minLength: 1 },
    text: { type: "string" },
    transcript: { type: "string" },
    ssml: { type: "string" },
    barged_in: { type: "boolean" },
    session: {
      type: "object",
      required: ["id"],
      properties: {
        id: { type: "string", minLength: 1 },
        account_id: { type: "string" },
        phone_number: { type: "string" },
        direction: { type: "string" },
        from_phone_number: { type: "string" },
        to_phone_number: { type: "string" },
      },
    },
  },
} as const;

const responseSchema = {
  $id: "webhook-serve/aiflow/response",
  type: "object",
  required: ["type", "session_id"],
  properties: {
    type: { type: "string", minLength: 1 },
    session_id: { type: "string", minLength: 1 },
  },
  allOf: [
    {
      // A speak action carries text or ssml.
      if: { properties: { type: { const: "speak" } } },
      then: {
        anyOf: [{ required: ["text"] }, { required: ["ssml"] }],
        properties: { text: { type: "string" }, ssml: { type: "string" } },
      },
    },
    {
      if: { properties: { type: { const: "transfer" } } },
      then: { required: ["target_phone_number"] },
    },
  ],
} as const;

/** The session id every action must echo. */
function sessionIdOf(turn: Turn): string {
  return turn.session.id ?? stringOr(recordOr(recordOr(turn.raw).session).id) ?? "";
}

export const aiflow: PlatformAdapter = {
  name: "aiflow",
  aliases: ["sipgate-ai-flow"],
  description: "sipgate AI Flow voice webhook (session_start/user_speak/… → one action or 204)",
  requestSchema,
  responseSchema,
  replyDocs: {
    text: "`speak` action (`ssml` when `<speak>`)",
    actions: "the first is the answer",
  },
  // The docs ask for answers under 1 s but name no hard limit; leave handlers room for an API call.
  defaultTimeout: 4500,

  detect(body: unknown): boolean {
    if (!isRecord(body)) return false;
    if (typeof body.type !== "string" || !isRecord(body.session)) return false;
    // session.account_id is what sets AI Flow apart from other `{type, session}` bodies.
    return typeof body.session.id === "string" && typeof body.session.account_id === "string";
  },

  parse(body: unknown, headers: Headers): Turn {
    const req = recordOr(body);
    const { id, ...caller } = recordOr(req.session);
    return {
      platform: "aiflow",
      event: stringOr(req.type),
      // The session's call data (account_id, phone_number, direction, from/to numbers) as params.
      params: caller,
      // Older versions sent the recognised speech as `transcript`.
      text: stringOr(req.text) ?? stringOr(req.transcript),
      // AI Flow keeps no values for the webhook; session.values is always empty.
      session: { id: stringOr(id), values: {} },
      contexts: [],
      raw: body,
      headers,
    };
  },

  serialize(reply: Reply | null, turn: Turn): AdapterResponse {
    if (reply === null) return { status: 204 };
    const session_id = sessionIdOf(turn);
    let action: Record<string, unknown> | undefined;
    const first = reply.actions?.[0];
    const text = replyTexts(reply).join(" ");
    if (isRecord(first)) {
      // AI Flow takes one action per answer: an explicit action wins over text.
      action = { ...first, session_id: stringOr(first.session_id) ?? session_id };
    } else if (text !== "") {
      action = isSsml(text) ? { type: "speak", session_id, ssml: text } : { type: "speak", session_id, text };
    }
    if (action === undefined) {
      if (reply.native === undefined) return { status: 204 };
      action = { session_id };
    }
    return { status: 200, body: mergeNative(action, reply.native) };
  },

  // WebSocket: each text frame is one event of the HTTP body's shape; actions go back as JSON
  // text, one action or an array; "no action: send nothing" (there is no 204 on a socket).
  // https://sipgate.github.io/sipgate-ai-flow-api/api/websocket.html
  socket: {
    frames(res: AdapterResponse): readonly string[] {
      if (res.body === undefined) return [];
      return [res.json ?? JSON.stringify(res.body)];
    },
  },

  noRoute(): AdapterResponse {
    // "Always return a valid action or 204."
    return { status: 204 };
  },

  sample(input: SampleTurn): unknown {
    const type = input.event ?? (input.text !== undefined ? "user_speak" : "session_start");
    return {
      type,
      ...(input.text !== undefined ? { text: input.text, barged_in: false } : {}),
      session: {
        id: input.sessionId ?? "550e8400-e29b-41d4-a716-446655440000",
        account_id: "account-123",
        phone_number: "+1234567890",
        direction: "inbound",
        from_phone_number: "+9876543210",
        to_phone_number: "+1234567890",
        // Params travel as session fields, where parse() reads them back.
        ...input.params,
      },
    };
  },
};
