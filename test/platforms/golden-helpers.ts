/** Shared by the per-platform golden tests: fixtures, schema checks, serialize helpers. */
import { Ajv } from "ajv";
import { expect } from "vitest";
import type { PlatformAdapter } from "../../src/platforms/types.js";
import type { Reply } from "../../src/types.js";
import { payload, type PayloadPlatform } from "../fixtures/payloads/load-payload.js";

export const ajv = new Ajv({ allErrors: true, strict: false });

/** `fixture("rasa", "request.json")` or `fixture("rasa/request.json")`. */
export function fixture(platformOrPath: string, file?: string): unknown {
  const [platform, name] = (file === undefined ? platformOrPath.split("/") : [platformOrPath, file]) as [PayloadPlatform, string];
  return payload(platform, name);
}

export function validator(adapter: PlatformAdapter, which: "requestSchema" | "responseSchema") {
  const validate = ajv.compile(adapter[which]);
  return (body: unknown) => {
    const ok = validate(body);
    return { ok, errors: JSON.stringify(validate.errors) };
  };
}

export function expectValid(schema: object, value: unknown): void {
  const validate = ajv.compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

export function expectInvalid(schema: object, value: unknown): void {
  expect(ajv.compile(schema)(value)).toBe(false);
}

/** Serialize `reply` for the turn parsed from `request`. */
export function answer(adapter: PlatformAdapter, request: unknown, reply: Reply | null, headers = {}) {
  return adapter.serialize(reply, adapter.parse(request, headers));
}

/** Every field a reply can carry (CX-only and ES-only ones included). */
export const everything: Reply = {
  text: ["It is sunny in Rome.", "Anything else?"],
  displayText: "Sunny in Rome",
  data: { facebook: { text: "Sunny" } },
  messages: [
    { card: { title: "Rome", subtitle: "Today", imageUrl: "https://x/rome.png", buttons: [{ text: "More", postback: "https://x/more" }] } },
    { quickReplies: { title: "Next?", replies: ["Tomorrow", "Stop"] }, platform: "facebook" },
    { image: { imageUrl: "https://x/sun.png", accessibilityText: "Sun" } },
    { payload: { slack: { text: "Sunny" } } },
  ],
  contexts: [{ name: "weather", lifespan: 2, params: { city: "Rome" } }],
  followupEvent: { name: "weather-followup", params: { city: "Rome" } },
  session: { values: { city: "Rome", tmp: null } },
  targetPage: "projects/p/locations/global/agents/a/flows/f/pages/confirm",
  mergeBehavior: "REPLACE",
  native: { extra: true },
};
