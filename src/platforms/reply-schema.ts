/**
 * @module The reply's JSON schema: the keys every platform shares, with each platform's own
 * keys (`PlatformAdapter.replyFields`) joined in by the registry (`replySchema()` there). Static
 * replies in the routing file are checked against it; editors offer its keys.
 */
import { exactlyOne, nonEmpty } from "../validation/schema-parts.js";
import type { ReplyFieldSchema } from "./types.js";

const MESSAGE_KINDS = ["text", "card", "quickReplies", "image", "payload", "ssml", "audio", "handoff", "endInteraction"] as const;

/** One rich message: exactly one kind, each with its own keys checked (a typo is an unknown key). */
export const richMessage = {
  type: "object",
  additionalProperties: false,
  properties: {
    text: { type: ["string", "array"], items: { type: "string" }, description: "A text message (several strings: alternatives where the platform has them)." },
    card: {
      type: "object",
      additionalProperties: false,
      required: ["title"],
      description: "A card with a title, optional subtitle, image and buttons.",
      properties: {
        title: { type: "string", description: "Card title." },
        subtitle: { type: "string", description: "Smaller text under the title." },
        imageUrl: { type: "string", description: "Image shown on the card." },
        buttons: {
          type: "array",
          description: "Buttons; a postback that is a URL opens it where the platform can.",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["text"],
            properties: { text: { type: "string", description: "Button label." }, postback: { type: "string", description: "Text sent back or URL opened." } },
          },
        },
      },
    },
    quickReplies: {
      type: "object",
      additionalProperties: false,
      required: ["replies"],
      description: "Suggested answers, with an optional title.",
      properties: { title: { type: "string", description: "Question shown above the replies." }, replies: { type: "array", items: { type: "string" }, description: "The suggested answers." } },
    },
    image: {
      type: "object",
      additionalProperties: false,
      required: ["imageUrl"],
      description: "An image.",
      properties: { imageUrl: { type: "string", description: "Image URL." }, accessibilityText: { type: "string", description: "Text for screen readers (Lex uses it as the card title)." } },
    },
    payload: { type: "object", description: "A custom payload, sent as the platform's custom message." },
    ssml: { type: "string", description: "Dialogflow CX: spoken SSML (outputAudioText.ssml)." },
    allowPlaybackInterruption: { type: "boolean", description: "Dialogflow CX: with ssml, whether the caller may interrupt." },
    audio: {
      type: "object",
      additionalProperties: false,
      required: ["uri"],
      description: "Dialogflow CX: an audio file to play (playAudio).",
      properties: { uri: { type: "string", description: "Audio file URI (gs:// or https://)." }, allowPlaybackInterruption: { type: "boolean", description: "Whether the caller may interrupt." } },
    },
    handoff: {
      type: "object",
      additionalProperties: false,
      description: "Dialogflow CX: hand the conversation to a human agent (liveAgentHandoff).",
      properties: { metadata: { type: "object", description: "Passed to the human agent's system." } },
    },
    endInteraction: { const: true, description: "Dialogflow CX: end the conversation after this reply." },
    platform: { type: "string", description: "Only for this platform or channel (API.AI platform, ES/CX channel)." },
  },
  allOf: [exactlyOne(MESSAGE_KINDS, `a message needs exactly one of ${MESSAGE_KINDS.join(", ")}`)],
} as const;

/** The keys every platform shares, but `native`. */
const sharedProperties = {
  text: {
    description: "Text to say; several strings become several messages (alternatives on Clustaar); { random: [Hi!, Hello!] } says one of them, picked anew per turn.",
    anyOf: [
      { type: "string" },
      { type: "array", items: { type: "string" } },
      { type: "object", additionalProperties: false, required: ["random"], properties: { random: { type: "array", minItems: 1, items: { type: "string" }, description: "The variants." } } },
    ],
    errorMessage: "text must be a string, a list of strings, or { random: [strings] }",
  },
  lang: {
    type: "object",
    description: "Per-language overrides ({ de: { text: Hallo }, fr: { … } }): the one matching the turn's language (exact tag, then primary subtag, de-CH → de) replaces these fields; no match keeps the base reply.",
    additionalProperties: { $ref: "#/$defs/reply" },
  },
  data: { type: "object", description: "Integration payload (API.AI data, Dialogflow payload)." },
  messages: { type: "array", items: richMessage, description: "Rich messages: { text }, { card }, { quickReplies }, { image }, { payload }; Dialogflow CX also { ssml }, { audio }, { handoff }, { endInteraction: true }." },
  contexts: {
    type: "array",
    description: "Contexts to set, [{ name, lifespan?, params? }]; lifespan 0 clears one.",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: nonEmpty("Short context name."),
        lifespan: { type: "integer", minimum: 0, description: "Turns the context lives." },
        params: { type: "object", description: "Context parameters." },
      },
    },
  },
  followupEvent: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    description: "Event to trigger next, { name, params?, lang? } (API.AI, Dialogflow ES, Rasa).",
    properties: {
      name: nonEmpty("Event name."),
      params: { type: "object", description: "Event parameters." },
      lang: { type: "string", description: "Language code." },
    },
  },
  session: {
    type: "object",
    additionalProperties: false,
    required: ["values"],
    description: "Session values to store, { values } (Dialogflow CX session parameters, Clustaar and Lex session values, Hutoma variables, Rasa slots).",
    properties: {
      values: { type: "object", description: "Values by name; null deletes one where the platform supports it." },
    },
  },
  actions: { type: "array", description: "Platform actions (Clustaar actions, AI Flow actions, Rasa events)." },
};

const native = { type: "object", description: "Deep-merged into the platform response last (objects merge, arrays and values replace)." };

/** The keys every platform shares. */
export const sharedReplyKeys: readonly string[] = [...Object.keys(sharedProperties), "native"];

/**
 * The reply with `platformFields` beside the shared keys, `native` (merged last) last.
 * `lang` refers back to the whole reply as the config schema's `#/$defs/reply`.
 */
export function replySchemaWith(platformFields: Readonly<Record<string, ReplyFieldSchema>>): object {
  return {
    type: "object",
    additionalProperties: false,
    description: "A normalized reply; each platform sends the fields it supports.",
    properties: { ...sharedProperties, ...platformFields, native },
  };
}
