import { describe, expect, it } from "vitest";
import { dialogflow, fullContextName, shortContextName } from "../../src/platforms/dialogflow.js";
import { runAdapterSuite } from "./conformance.js";
import { detectAdapter } from "../../src/platforms/registry.js";
import { fixture, validator, everything, ajv } from "./golden-helpers.js";

runAdapterSuite(dialogflow, {
  samples: [
    { intent: "weather.today" },
    { action: "weather.lookup" },
    { intent: "order", action: "order.create", params: { "delivery-address": "Via Roma 1", "geo-city": "Rome" } },
    { intent: "echo", text: "hello there", lang: "de", sessionId: "s-1" },
  ],
});

describe("dialogflow (ES) adapter", () => {
  const session = "projects/p/agent/sessions/s";
  const body = {
    responseId: "r",
    session,
    queryResult: {
      languageCode: "en-US",
      outputContexts: [
        { name: `${session}/contexts/weather`, lifespanCount: 3, parameters: { city: "Rome" } },
        { name: `${session}/contexts/bare` },
      ],
    },
  };

  it("shortens context names and maps lifespanCount", () => {
    expect(dialogflow.parse(body, {}).contexts).toEqual([
      { name: "weather", lifespan: 3, params: { city: "Rome" } },
      { name: "bare" },
    ]);
  });

  it("round-trips contexts back to full names under the request's session", () => {
    const turn = dialogflow.parse(body, {});
    const res = dialogflow.serialize({ contexts: turn.contexts.map((c) => ({ ...c, lifespan: 0 })) }, turn);
    expect(res.body).toEqual({
      source: "webhook-serve",
      outputContexts: [
        { name: `${session}/contexts/weather`, lifespanCount: 0, parameters: { city: "Rome" } },
        { name: `${session}/contexts/bare`, lifespanCount: 0 },
      ],
    });
  });

  it("keeps a full context name as given", () => {
    expect(fullContextName(session, "projects/x/agent/sessions/y/contexts/z")).toBe("projects/x/agent/sessions/y/contexts/z");
    expect(shortContextName("plain")).toBe("plain");
  });

  it("uses the request's languageCode for a follow-up event without lang", () => {
    const turn = dialogflow.parse(body, {});
    expect(dialogflow.serialize({ followupEvent: { name: "next" } }, turn).body).toEqual({
      source: "webhook-serve",
      followupEventInput: { name: "next", languageCode: "en-US" },
    });
  });

  it("maps v1-style platform names to ES enum values", () => {
    const turn = dialogflow.parse(body, {});
    const res = dialogflow.serialize(
      { messages: [{ payload: { a: 1 }, platform: "google" }, { text: ["a", "b"], platform: "facebook" }] },
      turn,
    );
    expect(res.body).toMatchObject({
      fulfillmentMessages: [
        { platform: "ACTIONS_ON_GOOGLE", payload: { a: 1 } },
        { platform: "FACEBOOK", text: { text: ["a", "b"] } },
      ],
    });
  });

  it("does not detect v1 or CX bodies", () => {
    expect(dialogflow.detect({ queryResult: {} })).toBe(false);
    expect(dialogflow.detect({ result: {}, sessionId: "s" })).toBe(false);
  });

  it("answers {} with status 200 when there is no answer", () => {
    expect(dialogflow.serialize(null, dialogflow.parse(body, {}))).toEqual({ status: 200, body: {} });
  });

  it("writes the JSON of a text-only answer itself, and leaves any other answer to JSON.stringify", () => {
    const turn = dialogflow.parse(body, {});
    const text = dialogflow.serialize({ text: ["Hi", 'say "yes"'] }, turn);
    expect(text.json).toBe('{"fulfillmentText":"Hi say \\"yes\\"","fulfillmentMessages":[{"text":{"text":["Hi"]}},{"text":{"text":["say \\"yes\\""]}}],"source":"webhook-serve"}');
    expect(text.json).toBe(JSON.stringify(text.body));
    for (const reply of [{ text: "Hi", data: { a: 1 } }, { text: "Hi", contexts: [{ name: "c" }] }, { text: "Hi", native: { a: 1 } }, { text: "" }]) {
      expect(dialogflow.serialize(reply, turn).json, JSON.stringify(reply)).toBeUndefined();
    }
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
