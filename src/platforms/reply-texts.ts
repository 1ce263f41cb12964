/**
 * @module How a reply's `text` (one string or several) becomes the strings an adapter sends.
 */
import type { Reply } from "../types.js";

/**
 * The reply's text as a list: one entry per message to send, empty when there is none.
 * @example replyTexts({ text: ["Hi", "Bye"] }) // ["Hi", "Bye"]
 */
export function replyTexts(reply: Pick<Reply, "text">): string[] {
  const { text } = reply;
  if (text === undefined) return [];
  // `{ random }` is resolved before an adapter runs (replies/resolve-reply.ts); unresolved, it says nothing.
  if (typeof text === "object" && !Array.isArray(text)) return [];
  return (Array.isArray(text) ? text : [text]).filter((t): t is string => typeof t === "string");
}

/**
 * The single string for platforms with one text field (API.AI `speech`, Dialogflow ES
 * `fulfillmentText`): every text joined with a space, so voice-only and text-only
 * integrations, which read only this field, still get the whole answer.
 * Undefined when the reply has no text.
 */
export function joinedText(reply: Pick<Reply, "text">): string | undefined {
  const texts = replyTexts(reply);
  return texts.length > 0 ? texts.join(" ") : undefined;
}
