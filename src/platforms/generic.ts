/**
 * @module The generic JSON adapter: any JSON object in, the reply object as JSON out.
 * It is the fallback for senders with no adapter of their own: routes match on `event`
 * (the body's `type`) and on `when` filters over the raw body. Not part of `platform: auto`.
 */
import type { Reply, Turn } from "../types.js";
import type { PlatformAdapter, SampleTurn } from "./types.js";
import { isRecord, recordOr, stringOr, compact, mergeNative } from "./json.js";

export const generic: PlatformAdapter = {
  name: "generic",
  aliases: [],
  description: "Any JSON object; event = body.type, reply sent as JSON (204 when there is no answer)",
  requestSchema: { type: "object" },
  responseSchema: { type: "object" },
  // No platform deadline to stay under; keep the usual 10 s of webhook senders.
  defaultTimeout: 10_000,

  detect(body) {
    return isRecord(body);
  },

  parse(body, headers): Turn {
    const root = recordOr(body);
    return compact({
      platform: "generic",
      event: stringOr(root.type),
      params: isRecord(root.params) ? { ...root.params } : {},
      text: stringOr(root.text),
      session: compact({ id: stringOr(root.sessionId), values: {} }),
      contexts: [],
      raw: body,
      headers,
    });
  },

  serialize(reply: Reply | null) {
    // No platform contract to honour, so "no answer" is the plain HTTP one: 204, no body.
    if (reply === null) return { status: 204 };
    const { native, ...rest } = reply;
    return { status: 200, body: mergeNative<Record<string, unknown>>({ ...rest }, native) };
  },

  /** `{type, text, params, sessionId}`; intent/action/tag have no place in a generic body. */
  sample(input: SampleTurn) {
    return compact({ type: input.event, text: input.text, params: input.params, sessionId: input.sessionId });
  },
};
