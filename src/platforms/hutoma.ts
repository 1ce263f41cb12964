/**
 * @module Hu:toma intent webhooks: `intentName` + `variablesMap` + `chatResult` in, `{text}` out.
 * Wire format: https://github.com/hutomadotAI/Examples/tree/master/WebHooks (README, main.py)
 * and the sender in https://github.com/hutomadotAI/web-api (WebHookPayload, WebHookResponse,
 * WebHooks.java).
 */
import type { Headers, Reply, Turn } from "../types.js";
import type { AdapterResponse, PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, setOwn, replyTexts, mergeNative } from "./json.js";

const variableSchema = {
  type: "object",
  properties: {
    entity: { type: "string" },
    label: { type: "string" },
    mandatory: { type: "boolean" },
    entity_keys: { type: "array" },
    prompts: { type: "array" },
  },
} as const;

const requestSchema = {
  $id: "webhook-serve/hutoma/request",
  type: "object",
  required: ["chatResult"],
  properties: {
    intentName: { type: "string" },
    variablesMap: { type: "object", additionalProperties: variableSchema },
    memoryVariables: { type: "array", items: variableSchema },
    chatResult: {
      type: "object",
      properties: {
        query: { type: "string" },
        answer: { type: ["string", "null"] },
        score: { type: "number" },
        context: { type: ["object", "null"] },
      },
    },
    chatSession: { type: "string" },
    language: { type: "string" },
  },
} as const;

const responseSchema = {
  $id: "webhook-serve/hutoma/response",
  type: "object",
  required: ["text"],
  properties: {
    text: { type: "string" },
    facebook: { type: "object" },
    facebook_multi: { type: "array" },
    context: {
      type: "object",
      properties: { variables: { type: "object", additionalProperties: { type: "object" } } },
    },
    webhook_token: { type: "string" },
  },
} as const;

/**
 * Variable label → value; `variablesMap` wins over the `memoryVariables` list. The list has
 * two forms: web-api's (`label`, `value`) and the 2017 examples' (`name`, `currentValue`,
 * https://github.com/hutomadotAI/Examples/blob/10ed0a5/WebHooks/payload.json).
 */
function readVariables(body: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const list = Array.isArray(body.memoryVariables) ? body.memoryVariables : [];
  for (const variable of list) {
    if (!isRecord(variable)) continue;
    const label = stringOr(variable.label) ?? stringOr(variable.name) ?? stringOr(variable.entity);
    if (label === undefined) continue;
    if (Object.hasOwn(variable, "value")) setOwn(params, label, variable.value);
    else if (Object.hasOwn(variable, "currentValue")) setOwn(params, label, variable.currentValue);
  }
  for (const [label, variable] of Object.entries(recordOr(body.variablesMap))) {
    if (isRecord(variable) && "value" in variable) setOwn(params, label, variable.value);
  }
  return params;
}

/** `chatResult.context` (web-api's ChatContext map) as plain values. */
function readContext(chatResult: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(recordOr(chatResult.context))) {
    // web-api serialises each context variable as {value, lifespan_turns}; accept plain values too.
    setOwn(values, name, isRecord(entry) && "value" in entry ? entry.value : entry);
  }
  return values;
}

export const hutoma: PlatformAdapter = {
  name: "hutoma",
  aliases: [],
  description: "Hu:toma intent webhook (intentName/variablesMap/chatResult → {text})",
  requestSchema,
  responseSchema,
  replyDocs: {
    text: "`text` (joined)",
    session: "`context.variables`",
  },
  // WebHooks.java: HMAC-SHA256 of the exact body, keyed with the secret's UTF-8 bytes, lower-case hex.
  signature: { header: "x-hub-signature", algorithm: "sha256", encoding: "hex", prefix: "sha256=" },
  // The sender reads for 10 s; answer a little before that.
  defaultTimeout: 9000,

  detect(body: unknown): boolean {
    if (!isRecord(body)) return false;
    if (!isRecord(body.chatResult)) return false;
    return typeof body.intentName === "string" || isRecord(body.variablesMap) || Array.isArray(body.memoryVariables);
  },

  parse(body: unknown, headers: Headers): Turn {
    const req = recordOr(body);
    const chatResult = recordOr(req.chatResult);
    const intent = stringOr(req.intentName);
    return {
      platform: "hutoma",
      // A bot-level passthrough webhook sends no intentName.
      intent: intent === "" ? undefined : intent,
      params: readVariables(req),
      text: stringOr(chatResult.query),
      session: { id: stringOr(req.chatSession), values: readContext(chatResult) },
      contexts: [],
      lang: stringOr(req.language),
      raw: body,
      headers,
    };
  },

  serialize(reply: Reply | null): AdapterResponse {
    // An empty text makes Hu:toma answer with one of the intent's own responses.
    if (reply === null) return { status: 200, body: { text: "" } };
    // Hu:toma shows one answer: several strings are joined with a space.
    const body: Record<string, unknown> = { text: replyTexts(reply).join(" ") };
    if (reply.session !== undefined) {
      const variables: Record<string, unknown> = {};
      // WebhookHandler: a null value clears the variable.
      for (const [name, value] of Object.entries(reply.session.values)) variables[name] = { value };
      body.context = { variables };
    }
    return { status: 200, body: mergeNative(body, reply.native) };
  },

  sample(input: SampleTurn): unknown {
    const variablesMap: Record<string, unknown> = {};
    for (const [label, value] of Object.entries(input.params ?? {})) {
      variablesMap[label] = { entity: label, value, mandatory: false, label, requested: false };
    }
    return {
      ...(input.intent !== undefined ? { intentName: input.intent } : {}),
      variablesMap,
      chatResult: { score: 1, query: input.text ?? "", answer: "" },
      ...(input.sessionId !== undefined ? { chatSession: input.sessionId } : {}),
      ...(input.lang !== undefined ? { language: input.lang } : {}),
    };
  },
};
