/**
 * @module The `platform:` names a webhook may use, and their aliases. Kept here (not read
 * from the adapter registry) so the config loader and the published schema stay
 * independent of which adapters are built.
 */

/** Every accepted `platform:` value, aliases included, in the order the docs list them. */
export const platformNames = [
  "apiai",
  "dialogflow-v1",
  "dialogflow",
  "dialogflow-es",
  "dialogflow-cx",
  "hutoma",
  "clustaar",
  "aiflow",
  "sipgate-ai-flow",
  "rasa",
  "lex",
  "lex-v2",
  "generic",
  "auto",
] as const;

export type PlatformName = (typeof platformNames)[number];

const aliases: Readonly<Record<string, string>> = {
  "dialogflow-v1": "apiai",
  "dialogflow-es": "dialogflow",
  "sipgate-ai-flow": "aiflow",
  "lex-v2": "lex",
};

/**
 * The adapter name for a config name: aliases resolved, others unchanged.
 * @example canonicalPlatform("dialogflow-v1") // "apiai"
 */
export function canonicalPlatform(name: string): string {
  return aliases[name] ?? name;
}
