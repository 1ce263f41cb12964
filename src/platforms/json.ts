/**
 * @module Small pure helpers for wire JSON, shared by the adapters: readers that never throw
 * on odd input (so detect() and parse() stay total), and the rules every serialize() follows:
 * a key whose value is undefined is left out (`compact`), an empty text is no message
 * (`replyTexts`), and `reply.native` is deep-merged last (`mergeNative`).
 */
import type { Reply, RichMessage, TurnContext } from "../types.js";

/** A string that is not empty, else undefined (an empty intent name is no intent). */
export function nonEmpty(value: unknown): string | undefined {
  const s = stringOr(value);
  return s === "" ? undefined : s;
}

/**
 * Contexts as Dialogflow v1 and ES send them (`[{ name, lifespan|lifespanCount, parameters }]`):
 * each with its name as `shortName` gives it and a copy of its parameters; others skipped.
 */
export function readContexts(value: unknown, lifespanKey: string, shortName: (name: string) => string): TurnContext[] {
  const out: TurnContext[] = [];
  for (const item of arrayOr(value)) {
    if (!isRecord(item) || typeof item.name !== "string") continue;
    out.push(compact({ name: shortName(item.name), lifespan: numberOr(item[lifespanKey]), params: isRecord(item.parameters) ? { ...item.parameters } : undefined }));
  }
  return out;
}

/** A Dialogflow ES or CX text message: `{ text: { text: [text] } }`. */
export const textMessageObject = (text: string): Record<string, unknown> => ({ text: { text: [text] } });

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else an empty object. */
export function recordOr(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** `value` when it is a string, else undefined. */
export function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `value` when it is a finite number, else undefined. */
function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `value` when it is an array, else an empty array. */
function arrayOr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * `obj` without the keys whose value is undefined, so serialized bodies carry only the fields
 * that are present. Every caller passes a fresh object literal, so one with no undefined value
 * is returned as it is: no copy on the common path (this runs several times per request).
 * @example compact({ a: 1, b: undefined }) // { a: 1 }
 */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key in obj) {
    if (obj[key] === undefined) return withoutUndefined(obj);
  }
  return obj;
}

function withoutUndefined<T extends Record<string, unknown>>(obj: T): T {
  // for…in over a fresh object literal: no entry arrays per call.
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    const value = obj[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/**
 * Assign a key taken from a request body: a key that is literally `__proto__` becomes an own
 * property instead of replacing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The reply's text as a list: one entry per message to send, empty strings left out (an
 * empty message is no message on any platform).
 * @example replyTexts({ text: ["Hi", "", "Bye"] }) // ["Hi", "Bye"]
 */
export function replyTexts(reply: { text?: Reply["text"] }): string[] {
  const { text } = reply;
  // `{ random }` is resolved before an adapter runs (replies/resolve-reply.ts); unresolved, it says nothing.
  if (typeof text === "string") return text.length > 0 ? [text] : [];
  if (!Array.isArray(text)) return [];
  const out: string[] = [];
  for (const t of text) if (typeof t === "string" && t.length > 0) out.push(t);
  return out;
}

/**
 * A reply's messages in one array: one per text (`text` builds it), then each rich message
 * `rich` maps (undefined: the platform has no such message, left out). One loop each, for a
 * path that runs on every request.
 */
export function replyMessages<M>(reply: Reply, text: (text: string) => M, rich: (message: RichMessage) => M | undefined): M[] {
  const out: M[] = [];
  for (const t of replyTexts(reply)) out.push(text(t));
  if (reply.messages !== undefined) {
    for (const message of reply.messages) {
      const mapped = rich(message);
      if (mapped !== undefined) out.push(mapped);
    }
  }
  return out;
}

/**
 * Texts as the JSON of Dialogflow text messages (ES `Intent.Message`, CX `ResponseMessage`),
 * comma-separated: `{"text":{"text":["Hi"]}}` each, what `JSON.stringify` writes for them.
 * For an adapter's `AdapterResponse.json`.
 */
export function textMessagesJson(texts: readonly string[]): string {
  let out = "";
  for (const text of texts) out += `${out === "" ? "" : ","}{"text":{"text":[${JSON.stringify(text)}]}}`;
  return out;
}

/**
 * The single string for platforms with one text field (API.AI `speech`, Dialogflow ES
 * `fulfillmentText`): every text joined with a space, so voice-only and text-only
 * integrations, which read only this field, still get the whole answer.
 * Undefined when the reply has no text.
 */
export function joinedText(reply: { text?: Reply["text"] }): string | undefined {
  if (typeof reply.text === "string") return reply.text.length > 0 ? reply.text : undefined;
  const texts = replyTexts(reply);
  return texts.length > 0 ? texts.join(" ") : undefined;
}

/** True for SSML markup (`<speak>…</speak>`), which voice platforms take in a separate field. */
export function isSsml(text: string): boolean {
  return /^\s*<speak[\s>]/.test(text);
}

/**
 * `reply.native` deep-merged into the platform body, last: plain objects merge key by key,
 * arrays and other values replace. Inputs are never mutated.
 */
export function mergeNative<T>(body: T, native: Record<string, unknown> | undefined): T {
  if (native === undefined) return body;
  if (!isRecord(body)) return native as T;
  const out: Record<string, unknown> = { ...body };
  for (const key of Object.keys(native)) {
    // Never write through to Object.prototype.
    if (key === "__proto__") continue;
    const next = native[key];
    const prev = out[key];
    out[key] = isRecord(prev) && isRecord(next) ? mergeNative(prev, next) : next;
  }
  return out as T;
}
