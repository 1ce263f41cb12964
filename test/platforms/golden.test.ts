/**
 * Golden tests: the platforms' sample payloads (test/fixtures/payloads) parse to the expected turns and
 * validate against the adapters' schemas, and a reply carrying every field serializes to
 * exactly the expected body.
 */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { apiai } from "../../src/platforms/apiai.js";
import { dialogflow } from "../../src/platforms/dialogflow.js";
import { dialogflowCx } from "../../src/platforms/dialogflow-cx.js";
import { detectAdapter } from "../../src/platforms/registry.js";
import type { PlatformAdapter } from "../../src/platforms/types.js";
import type { Reply } from "../../src/types.js";
import { payload, type PayloadPlatform } from "../fixtures/payloads/load-payload.js";

const ajv = new Ajv({ allErrors: true, strict: false });

function fixture(platform: PayloadPlatform, file: string): unknown {
  return payload(platform, file);
}

function validator(adapter: PlatformAdapter, which: "requestSchema" | "responseSchema") {
  const validate = ajv.compile(adapter[which]);
  return (body: unknown) => {
    const ok = validate(body);
    return { ok, errors: JSON.stringify(validate.errors) };
  };
}

/** Every field a reply can carry (CX-only and ES-only ones included). */
const everything: Reply = {
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

describe("golden: apiai", () => {
  const request = fixture("apiai", "request.json");
  const turn = apiai.parse(request, { "content-type": "application/json" });

  it("the fixture request is schema-valid and auto-detected as apiai", () => {
    const r = validator(apiai, "requestSchema")(request);
    expect(r.ok, r.errors).toBe(true);
    expect(detectAdapter(request)).toBe(apiai);
  });

  it("parses the fixture request", () => {
    expect(turn).toMatchObject({
      platform: "apiai",
      action: "greetings",
      intent: "greetings",
      params: { city: "Rome", name: "Ana" },
      text: "my name is Ana and I live in Rome",
      session: { id: "1486656220806", values: {} },
      lang: "en",
    });
    expect(turn.contexts).toEqual([
      { name: "generic", lifespan: 4, params: { city: "Rome", "city.original": "Rome", facebook_sender_id: "1534862223272449" } },
    ]);
    expect(turn.raw).toBe(request);
    expect(turn.headers).toEqual({ "content-type": "application/json" });
  });

  it("the fixture response is schema-valid", () => {
    const r = validator(apiai, "responseSchema")(fixture("apiai", "response.json"));
    expect(r.ok, r.errors).toBe(true);
  });

  it("accepts apiaiwebhook's all-keys-with-nulls response", () => {
    const body = { speech: "hi", displayText: null, data: null, contextOut: [], source: "app", followupEvent: null };
    expect(validator(apiai, "responseSchema")(body).ok).toBe(true);
  });

  it("rejects wrong types in a response", () => {
    const v = validator(apiai, "responseSchema");
    expect(v({ speech: 1 }).ok).toBe(false);
    expect(v({ contextOut: [{ name: "c", lifespan: 1.5 }] }).ok).toBe(false);
    expect(v({ messages: [{ type: 2, title: "no replies" }] }).ok).toBe(false);
  });

  it("serializes a reply with every field", () => {
    const res = apiai.serialize(everything, turn);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      speech: "It is sunny in Rome. Anything else?",
      displayText: "Sunny in Rome",
      messages: [
        { type: 0, speech: "It is sunny in Rome." },
        { type: 0, speech: "Anything else?" },
        { type: 1, title: "Rome", subtitle: "Today", imageUrl: "https://x/rome.png", buttons: [{ text: "More", postback: "https://x/more" }] },
        { type: 2, platform: "facebook", title: "Next?", replies: ["Tomorrow", "Stop"] },
        { type: 3, imageUrl: "https://x/sun.png" },
        { type: 4, payload: { slack: { text: "Sunny" } } },
      ],
      data: { facebook: { text: "Sunny" } },
      contextOut: [{ name: "weather", lifespan: 2, parameters: { city: "Rome" } }],
      source: "webhook-serve",
      followupEvent: { name: "weather-followup", data: { city: "Rome" } },
      extra: true,
    });
    expect(validator(apiai, "responseSchema")(res.body).ok).toBe(true);
  });
});

describe("golden: dialogflow (ES)", () => {
  const request = fixture("dialogflow", "request.json");
  const turn = dialogflow.parse(request, {});
  const session = "projects/project-id/agent/sessions/session-id";

  it("the fixture request is schema-valid and auto-detected as dialogflow", () => {
    const r = validator(dialogflow, "requestSchema")(request);
    expect(r.ok, r.errors).toBe(true);
    expect(detectAdapter(request)).toBe(dialogflow);
  });

  it("parses the fixture request", () => {
    expect(turn).toMatchObject({
      platform: "dialogflow",
      intent: "matched-intent-name",
      action: "action-name",
      params: { "param-name": "param-value" },
      text: "End-user expression",
      session: { id: session, values: {} },
      lang: "en",
    });
    expect(turn.contexts).toEqual([{ name: "context-name", lifespan: 5, params: { "param-name": "param-value" } }]);
  });

  it("the fixture response is schema-valid", () => {
    const r = validator(dialogflow, "responseSchema")(fixture("dialogflow", "response.json"));
    expect(r.ok, r.errors).toBe(true);
  });

  it("rejects short context names, fractional lifespans and malformed messages", () => {
    const v = validator(dialogflow, "responseSchema");
    expect(v({ outputContexts: [{ name: "weather" }] }).ok).toBe(false);
    expect(v({ outputContexts: [{ name: `${session}/contexts/w`, lifespanCount: 1.5 }] }).ok).toBe(false);
    expect(v({ fulfillmentMessages: [{ text: "not an object" }] }).ok).toBe(false);
    expect(v({ fulfillmentMessages: [{ text: { text: ["a"] }, payload: {} }] }).ok).toBe(false);
    expect(v({ fulfillmentMessages: [{ text: { text: ["a"] }, platform: "facebook" }] }).ok).toBe(false);
  });

  it("names the field in request schema errors", () => {
    const validate = ajv.compile(dialogflow.requestSchema);
    expect(validate({ session: "s", queryResult: 1 })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: "/queryResult", message: "must be object" });
  });

  it("serializes a reply with every field", () => {
    const res = dialogflow.serialize(everything, turn);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fulfillmentText: "It is sunny in Rome. Anything else?",
      fulfillmentMessages: [
        { text: { text: ["It is sunny in Rome."] } },
        { text: { text: ["Anything else?"] } },
        { card: { title: "Rome", subtitle: "Today", imageUri: "https://x/rome.png", buttons: [{ text: "More", postback: "https://x/more" }] } },
        { platform: "FACEBOOK", quickReplies: { title: "Next?", quickReplies: ["Tomorrow", "Stop"] } },
        { image: { imageUri: "https://x/sun.png", accessibilityText: "Sun" } },
        { payload: { slack: { text: "Sunny" } } },
      ],
      source: "webhook-serve",
      payload: { facebook: { text: "Sunny" } },
      outputContexts: [{ name: `${session}/contexts/weather`, lifespanCount: 2, parameters: { city: "Rome" } }],
      followupEventInput: { name: "weather-followup", languageCode: "en", parameters: { city: "Rome" } },
      extra: true,
    });
    expect(validator(dialogflow, "responseSchema")(res.body).ok).toBe(true);
  });

  it("round-trips the fixture's contexts with full names", () => {
    const res = dialogflow.serialize({ contexts: turn.contexts }, turn);
    expect(res.body).toEqual({
      source: "webhook-serve",
      outputContexts: [{ name: `${session}/contexts/context-name`, lifespanCount: 5, parameters: { "param-name": "param-value" } }],
    });
  });
});

describe("golden: dialogflow-cx", () => {
  const request = fixture("dialogflow-cx", "request.json");
  const turn = dialogflowCx.parse(request, {});

  it("the fixture request is schema-valid and auto-detected as dialogflow-cx", () => {
    const r = validator(dialogflowCx, "requestSchema")(request);
    expect(r.ok, r.errors).toBe(true);
    expect(detectAdapter(request)).toBe(dialogflowCx);
  });

  it("parses the fixture request", () => {
    expect(turn).toMatchObject({
      platform: "dialogflow-cx",
      tag: "order-pizza",
      intent: "order.pizza",
      params: { size: "LARGE" },
      text: "I want to order a large pizza",
      session: { id: "projects/p/locations/global/agents/a/sessions/s", values: { size: "LARGE" } },
      contexts: [],
      lang: "en",
    });
    expect(turn.event).toBeUndefined();
    expect(turn.action).toBeUndefined();
  });

  it("the fixture response is schema-valid", () => {
    const r = validator(dialogflowCx, "responseSchema")(fixture("dialogflow-cx", "response.json"));
    expect(r.ok, r.errors).toBe(true);
  });

  it("rejects display names as targets, both targets at once and bad merge behaviours", () => {
    const v = validator(dialogflowCx, "responseSchema");
    expect(v({ targetPage: "Confirm" }).ok).toBe(false);
    expect(
      v({
        targetPage: "projects/p/locations/global/agents/a/flows/f/pages/x",
        targetFlow: "projects/p/locations/global/agents/a/flows/f",
      }).ok,
    ).toBe(false);
    expect(v({ fulfillmentResponse: { mergeBehavior: "MERGE" } }).ok).toBe(false);
    expect(v({ fulfillmentResponse: { messages: [{ text: "plain" }] } }).ok).toBe(false);
  });

  it("serializes a reply with every field", () => {
    const res = dialogflowCx.serialize(everything, turn);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fulfillmentResponse: {
        messages: [
          { text: { text: ["It is sunny in Rome."] } },
          { text: { text: ["Anything else?"] } },
          {
            payload: {
              richContent: [
                [
                  { type: "info", title: "Rome", subtitle: "Today", image: { src: { rawUrl: "https://x/rome.png" } } },
                  { type: "chips", options: [{ text: "More", link: "https://x/more" }] },
                ],
              ],
            },
          },
          {
            channel: "facebook",
            payload: {
              richContent: [
                [
                  { type: "description", title: "Next?" },
                  { type: "chips", options: [{ text: "Tomorrow" }, { text: "Stop" }] },
                ],
              ],
            },
          },
          { payload: { richContent: [[{ type: "image", rawUrl: "https://x/sun.png", accessibilityText: "Sun" }]] } },
          { payload: { slack: { text: "Sunny" } } },
        ],
        mergeBehavior: "REPLACE",
      },
      sessionInfo: { parameters: { city: "Rome", tmp: null } },
      targetPage: "projects/p/locations/global/agents/a/flows/f/pages/confirm",
      payload: { facebook: { text: "Sunny" } },
      extra: true,
    });
    expect(validator(dialogflowCx, "responseSchema")(res.body).ok).toBe(true);
  });
});
