/**
 * @module Small pure readers for wire JSON shared by the platform adapters: they never
 * throw on odd input, so detect() and parse() stay total.
 */

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is a plain object, else an empty one. */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** `value` when it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** True when the body carries a Dialogflow/API.AI top-level key, so no other adapter claims it. */
export function hasDialogflowKeys(body: Record<string, unknown>): boolean {
  return "result" in body || "queryResult" in body || "fulfillmentInfo" in body;
}

/** `reply.text` as a list of non-empty strings (`"a"` → `["a"]`, `undefined` → `[]`). */
export function textsOf(text: string | string[] | { random: string[] } | undefined): string[] {
  // `{ random }` is resolved before an adapter runs (replies/resolve-reply.ts).
  if (text === undefined || (typeof text === "object" && !Array.isArray(text))) return [];
  return (Array.isArray(text) ? text : [text]).filter((t) => typeof t === "string" && t.length > 0);
}

/** True for SSML markup (`<speak>…</speak>`), which voice platforms take in a separate field. */
export function isSsml(text: string): boolean {
  return /^\s*<speak[\s>]/.test(text);
}
