/**
 * @module The last step before an adapter sees a reply (static or from a handler): a `lang`
 * override matching the turn's language is laid over the reply, and `text: { random: [...] }`
 * becomes one of its strings, picked anew for every turn (dialogflow-fulfillment and Rasa
 * `responses` variations do the same). A list of texts still means several messages.
 */
import type { Reply, Turn } from "../types.js";

/**
 * @example
 * resolveReply({ text: "Hi", lang: { de: { text: "Hallo" } } }, { lang: "de-CH", … }) // { text: "Hallo" }
 */
export function resolveReply(reply: Reply, turn: Pick<Turn, "lang">, random: () => number = Math.random): Reply {
  let out = reply;
  if (out.lang !== undefined) {
    const { lang, ...base } = out;
    const override = pickLanguage(lang, turn.lang);
    out = override === undefined ? base : { ...base, ...withoutLang(override) };
  }
  const { text } = out;
  if (text !== undefined && typeof text === "object" && !Array.isArray(text)) {
    const choices = Array.isArray(text.random) ? text.random.filter((t): t is string => typeof t === "string") : [];
    const { text: _omit, ...rest } = out;
    out = choices.length === 0 ? rest : { ...rest, text: choices[Math.floor(random() * choices.length)] as string };
  }
  return out;
}

/** Exact tag first (case-insensitive), then the primary subtag (`de-CH` → `de`), else none. */
function pickLanguage<T>(overrides: Readonly<Record<string, T>>, lang: string | undefined): T | undefined {
  if (lang === undefined || lang === "") return undefined;
  const wanted = lang.toLowerCase().replace(/_/g, "-");
  const keys = Object.keys(overrides);
  const exact = keys.find((k) => k.toLowerCase().replace(/_/g, "-") === wanted);
  if (exact !== undefined) return overrides[exact];
  const primary = wanted.split("-")[0];
  const loose = keys.find((k) => k.toLowerCase() === primary);
  return loose === undefined ? undefined : overrides[loose];
}

function withoutLang(reply: Reply): Reply {
  if (reply.lang === undefined) return reply;
  const { lang: _nested, ...rest } = reply;
  return rest;
}
