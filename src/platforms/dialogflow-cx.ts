/**
 * @module The Dialogflow CX (API v3) adapter (`dialogflow-cx`).
 * Wire format: https://cloud.google.com/dialogflow/cx/docs/concept/webhook ,
 * WebhookRequest: https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookRequest ,
 * WebhookResponse: https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookResponse ,
 * ResponseMessage: https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/ResponseMessage ,
 * rich content for Dialogflow Messenger: https://cloud.google.com/dialogflow/cx/docs/concept/integration/dialogflow-messenger/fulfillment
 */
import type { Reply, RichMessage, Turn } from "../types.js";
import type { PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, compact, setOwn, replyMessages, replyTexts, textMessagesJson, mergeNative, nonEmpty, textMessageObject } from "./json.js";

/** The reply keys only Dialogflow CX has (their types; the schemas are the adapter's `replyFields`). */
declare module "../types.js" {
  interface PlatformReplyFields {
    /** Dialogflow CX: the page to go to, a full resource name or a page id of the current flow. */
    targetPage?: string;
    /** Dialogflow CX: the flow to go to, a full resource name or a flow id of the agent. */
    targetFlow?: string;
    /** Dialogflow CX `fulfillmentResponse.mergeBehavior`. */
    mergeBehavior?: "APPEND" | "REPLACE";
  }
}

/** The `ResponseMessage` union members: exactly one per message. */
const MESSAGE_KINDS = [
  "text",
  "payload",
  "conversationSuccess",
  "outputAudioText",
  "liveAgentHandoff",
  "endInteraction",
  "playAudio",
  "mixedAudio",
  "telephonyTransferCall",
  "knowledgeInfoCard",
  "toolCall",
] as const;

const requestSchema = {
  type: "object",
  required: ["fulfillmentInfo"],
  properties: {
    detectIntentResponseId: { type: "string" },
    text: { type: "string" },
    transcript: { type: "string" },
    triggerEvent: { type: "string" },
    triggerIntent: { type: "string" },
    dtmfDigits: { type: "string" },
    languageCode: { type: "string" },
    fulfillmentInfo: { type: "object", properties: { tag: { type: "string" } } },
    intentInfo: {
      type: "object",
      properties: {
        lastMatchedIntent: { type: "string" },
        displayName: { type: "string" },
        parameters: { type: "object", additionalProperties: { type: "object" } },
        confidence: { type: "number" },
      },
    },
    pageInfo: { type: "object" },
    sessionInfo: {
      type: "object",
      properties: { session: { type: "string" }, parameters: { type: "object" } },
    },
    messages: { type: "array" },
    payload: { type: "object" },
  },
} as const;

const messageSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    channel: { type: "string" },
    responseType: { type: "string" },
    text: {
      type: "object",
      required: ["text"],
      properties: {
        text: { type: "array", items: { type: "string" } },
        allowPlaybackInterruption: { type: "boolean" },
      },
    },
    payload: { type: "object" },
    ...Object.fromEntries(MESSAGE_KINDS.slice(2).map((kind) => [kind, { type: "object" }])),
  },
  oneOf: MESSAGE_KINDS.map((kind) => ({ required: [kind] })),
};

const responseSchema = {
  type: "object",
  properties: {
    fulfillmentResponse: {
      type: "object",
      properties: {
        messages: { type: "array", items: messageSchema },
        mergeBehavior: { enum: ["MERGE_BEHAVIOR_UNSPECIFIED", "APPEND", "REPLACE"] },
      },
    },
    pageInfo: { type: "object" },
    sessionInfo: {
      type: "object",
      properties: { session: { type: "string" }, parameters: { type: "object" } },
    },
    payload: { type: "object" },
    // Full resource names; a display name here is the usual mistake.
    targetPage: { type: "string", pattern: "^projects/[^/]+/locations/[^/]+/agents/[^/]+/flows/[^/]+/pages/[^/]+$" },
    targetFlow: { type: "string", pattern: "^projects/[^/]+/locations/[^/]+/agents/[^/]+/flows/[^/]+$" },
  },
  // `targetPage` and `targetFlow` are a oneof.
  not: { type: "object", required: ["targetPage", "targetFlow"], properties: { targetPage: true, targetFlow: true } },
};

/** `intentInfo.parameters` (`{size: {originalValue, resolvedValue}}`) → `{size: resolvedValue}`. */
function intentParams(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(recordOr(value))) {
    if (isRecord(param) && "resolvedValue" in param) setOwn(out, name, param.resolvedValue);
  }
  return out;
}

const isUrl = (s: string | undefined): boolean => s !== undefined && /^https?:\/\//i.test(s);

/** A Dialogflow Messenger `richContent` payload with one card of elements. */
function richContent(elements: Record<string, unknown>[]): Record<string, unknown> {
  return { payload: { richContent: [elements] } };
}

/**
 * A rich message as a CX `ResponseMessage`. CX has only text and custom payloads, so cards,
 * quick replies and images become Dialogflow Messenger `richContent` payloads (info, chips,
 * image elements); card buttons become chips, linked when the postback is a URL.
 * `platform` becomes `channel`.
 */
function toCxMessage(message: RichMessage): Record<string, unknown> | undefined {
  const channel = message.platform;
  if ("text" in message) {
    return compact({ channel, text: { text: Array.isArray(message.text) ? message.text : [message.text] } });
  }
  if ("payload" in message) return compact({ channel, payload: message.payload });
  if ("ssml" in message) return compact({ channel, outputAudioText: compact({ ssml: message.ssml, allowPlaybackInterruption: message.allowPlaybackInterruption }) });
  if ("audio" in message) return compact({ channel, playAudio: compact({ audioUri: message.audio.uri, allowPlaybackInterruption: message.audio.allowPlaybackInterruption }) });
  if ("handoff" in message) return compact({ channel, liveAgentHandoff: { metadata: message.handoff.metadata ?? {} } });
  if ("endInteraction" in message) return compact({ channel, endInteraction: {} });
  let body: Record<string, unknown> | undefined;
  if ("card" in message) {
    const { title, subtitle, imageUrl, buttons } = message.card;
    const elements: Record<string, unknown>[] = [
      compact({ type: "info", title, subtitle, image: imageUrl === undefined ? undefined : { src: { rawUrl: imageUrl } } }),
    ];
    if (buttons && buttons.length > 0) {
      elements.push({
        type: "chips",
        options: buttons.map((b) => compact({ text: b.text, link: isUrl(b.postback) ? b.postback : undefined })),
      });
    }
    body = richContent(elements);
  } else if ("quickReplies" in message) {
    const { title, replies } = message.quickReplies;
    body = richContent([
      ...(title === undefined ? [] : [{ type: "description", title }]),
      { type: "chips", options: replies.map((text) => ({ text })) },
    ]);
  } else if ("image" in message) {
    const { imageUrl, accessibilityText } = message.image;
    body = richContent([compact({ type: "image", rawUrl: imageUrl, accessibilityText })]);
  }
  return body && compact({ channel, ...body });
}

/**
 * Reply mapping: one text message per string, then the rich messages; `mergeBehavior`
 * sends `fulfillmentResponse` even with no messages (REPLACE + none clears queued ones).
 * `session.values` → `sessionInfo.parameters`, nulls kept (null deletes a parameter).
 * `targetPage` and `targetFlow` are a oneof: when a reply sets both, `targetPage` wins.
 * Dialogflow ES concepts (contexts, followup events) have no CX equivalent and are skipped.
 */
/**
 * `targetPage` / `targetFlow` as full resource names. A full name (`projects/…`) is kept; an
 * agent-relative one (`flows/<flow>/pages/<page>`, `flows/<flow>`) and a bare id (`<page>`,
 * `END_SESSION`, …: a page of the current flow; for targetFlow a flow of the agent) are
 * resolved against the request's `pageInfo.currentPage`. Without one, the value is kept.
 * @see https://cloud.google.com/dialogflow/cx/docs/reference/rest/v3/WebhookResponse
 */
function resolveTarget(value: string | undefined, kind: "page" | "flow", turn: Turn): string | undefined {
  if (value === undefined || value.startsWith("projects/")) return value;
  const current = stringOr(recordOr(recordOr(turn.raw).pageInfo).currentPage) ?? "";
  const match = /^(projects\/[^/]+\/locations\/[^/]+\/agents\/[^/]+)\/flows\/([^/]+)/.exec(current);
  if (match === null) return value;
  const [, agent, flow] = match;
  if (value.startsWith("flows/")) return `${agent}/${value}`;
  return kind === "page" ? `${agent}/flows/${flow}/pages/${value}` : `${agent}/flows/${value}`;
}

/** One text as a CX `ResponseMessage`. */

function serializeReply(reply: Reply, turn: Turn): Record<string, unknown> {
  const messages = replyMessages(reply, textMessageObject, toCxMessage);
  const fulfillmentResponse =
    messages.length > 0 || reply.mergeBehavior !== undefined
      ? compact({ messages, mergeBehavior: reply.mergeBehavior })
      : undefined;
  return compact({
    fulfillmentResponse,
    sessionInfo: reply.session ? { parameters: { ...reply.session.values } } : undefined,
    targetPage: resolveTarget(reply.targetPage, "page", turn),
    targetFlow: reply.targetPage === undefined ? resolveTarget(reply.targetFlow, "flow", turn) : undefined,
    payload: reply.data,
  });
}

/**
 * A reply with text and nothing else CX sends (no messages, merge behavior, session values,
 * target, data or native): the JSON serializeReply's body stringifies to, from a template.
 * Undefined for any other reply.
 */
function textOnlyJson(reply: Reply): string | undefined {
  if (reply.messages !== undefined || reply.mergeBehavior !== undefined || reply.session !== undefined || reply.targetPage !== undefined || reply.targetFlow !== undefined || reply.data !== undefined || reply.native !== undefined) return undefined;
  const texts = replyTexts(reply);
  if (texts.length === 0) return undefined;
  return `{"fulfillmentResponse":{"messages":[${textMessagesJson(texts)}]}}`;
}

const SAMPLE_AGENT = "projects/webhook-serve/locations/global/agents/00000000-0000-4000-8000-000000000005";

/** A stringified form of a resolved value, as CX reports it in `originalValue`. */
function originalValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The smallest realistic CX request (shape of the fixture). Fixed ids: adapters are pure. */
function sample(input: SampleTurn): unknown {
  const params = { ...input.params };
  const sessionId = input.sessionId ?? "webhook-serve-session";
  return compact({
    detectIntentResponseId: input.deliveryId ?? "00000000-0000-4000-8000-000000000006",
    text: input.text,
    triggerEvent: input.event,
    languageCode: input.lang ?? "en",
    fulfillmentInfo: compact({ tag: input.tag }),
    intentInfo:
      input.intent === undefined
        ? undefined
        : {
            lastMatchedIntent: `${SAMPLE_AGENT}/intents/00000000-0000-4000-8000-000000000007`,
            displayName: input.intent,
            parameters: Object.fromEntries(
              Object.entries(params).map(([k, v]) => [k, { originalValue: originalValue(v), resolvedValue: v }]),
            ),
            confidence: 1,
          },
    // A page id (as a reply's targetPage may give it) becomes a full name in the default flow.
    pageInfo:
      input.page !== undefined
        ? { currentPage: input.page.startsWith("projects/") ? input.page : `${SAMPLE_AGENT}/flows/00000000-0000-0000-0000-000000000000/pages/${input.page}`, displayName: input.page.slice(input.page.lastIndexOf("/") + 1) }
        : { currentPage: `${SAMPLE_AGENT}/flows/00000000-0000-0000-0000-000000000000/pages/START_PAGE`, displayName: "Start Page" },
    sessionInfo: {
      session: sessionId.startsWith("projects/") ? sessionId : `${SAMPLE_AGENT}/sessions/${sessionId}`,
      // Session parameters: those set by earlier turns, overlaid by this turn's.
      parameters: { ...input.values, ...params },
    },
  });
}

export const dialogflowCx: PlatformAdapter = {
  name: "dialogflow-cx",
  aliases: [],
  description: "Dialogflow CX (v3) webhook (fulfillmentInfo.tag, intentInfo.displayName)",
  requestSchema,
  responseSchema,
  replyFields: {
    targetPage: { type: "string", description: "Dialogflow CX: the page to go to: a full resource name, or a page id resolved against the request's agent and flow." },
    targetFlow: { type: "string", description: "Dialogflow CX: the flow to go to: a full resource name, or a flow id of the request's agent." },
    mergeBehavior: { type: "string", enum: ["APPEND", "REPLACE"], description: "Dialogflow CX fulfillmentResponse.mergeBehavior." },
  },
  replyDocs: {
    text: "`fulfillmentResponse.messages`",
    data: "`payload`",
    messages: "rich content, audio, handoff, end",
    session: "`sessionInfo.parameters`",
    targetPage: "`targetPage`",
    targetFlow: "`targetFlow`",
    mergeBehavior: "`fulfillmentResponse.mergeBehavior`",
  },
  dedupeKey: "detectIntentResponseId",
  // The webhook timeout defaults to 5 s (configurable up to 30 s in the agent).
  ownKeys: ["fulfillmentInfo"],
  defaultTimeout: 4500,

  detect(body) {
    return (
      isRecord(body) &&
      isRecord(body.fulfillmentInfo) &&
      (typeof body.detectIntentResponseId === "string" || isRecord(body.sessionInfo))
    );
  },

  parse(body, headers): Turn {
    const root = recordOr(body);
    const intentInfo = recordOr(root.intentInfo);
    const sessionInfo = recordOr(root.sessionInfo);
    const sessionValues = recordOr(sessionInfo.parameters);
    return compact({
      platform: "dialogflow-cx",
      tag: nonEmpty(recordOr(root.fulfillmentInfo).tag),
      intent: nonEmpty(intentInfo.displayName),
      event: nonEmpty(root.triggerEvent),
      // This turn's intent parameters, overlaid by the session's (which hold every filled one).
      params: { ...intentParams(intentInfo.parameters), ...sessionValues },
      text: stringOr(root.text) ?? stringOr(root.transcript),
      session: compact({ id: stringOr(sessionInfo.session), values: { ...sessionValues } }),
      contexts: [],
      lang: stringOr(root.languageCode),
      raw: body,
      headers,
    });
  },

  serialize(reply, turn) {
    // "No answer": `{}`; `fulfillmentResponse` "can be omitted by the webhook".
    if (reply === null) return { status: 200, body: {} };
    return { status: 200, body: mergeNative(serializeReply(reply, turn), reply.native), json: textOnlyJson(reply) };
  },

  sample,
};
