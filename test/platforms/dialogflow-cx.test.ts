import { describe, expect, it } from "vitest";
import { dialogflowCx } from "../../src/platforms/dialogflow-cx.js";
import { payload } from "../fixtures/payloads/load-payload.js";
import { runAdapterSuite } from "./conformance.js";
import { detectAdapter } from "../../src/platforms/registry.js";
import { fixture, validator, everything } from "./golden-helpers.js";

runAdapterSuite(dialogflowCx, {
  samples: [
    { tag: "order-pizza" },
    { intent: "order.pizza", tag: "order", params: { "pizza-size": "LARGE", count: 2 } },
    { tag: "echo", text: "hello", lang: "de", sessionId: "s-1" },
    { event: "welcome" },
  ],
});

describe("dialogflow-cx adapter", () => {
  const turnOf = (body: unknown) => dialogflowCx.parse(body, {});

  it("overlays session parameters on the intent's resolved values", () => {
    const turn = turnOf({
      detectIntentResponseId: "d",
      fulfillmentInfo: { tag: "t" },
      intentInfo: {
        parameters: { size: { originalValue: "large", resolvedValue: "LARGE" }, crust: { originalValue: "thin", resolvedValue: "THIN" } },
      },
      sessionInfo: { session: "projects/p/locations/l/agents/a/sessions/s", parameters: { size: "SMALL", name: "Ana" } },
    });
    expect(turn.params).toEqual({ size: "SMALL", crust: "THIN", name: "Ana" });
    expect(turn.session).toEqual({ id: "projects/p/locations/l/agents/a/sessions/s", values: { size: "SMALL", name: "Ana" } });
  });

  it("takes text from transcript when there is no text", () => {
    expect(turnOf({ detectIntentResponseId: "d", fulfillmentInfo: {}, transcript: "spoken" }).text).toBe("spoken");
  });

  it("writes the JSON of a text-only answer itself, and leaves any other answer to JSON.stringify", () => {
    const turn = turnOf({ detectIntentResponseId: "d", fulfillmentInfo: { tag: "t" } });
    const text = dialogflowCx.serialize({ text: ["Hi", "there"] }, turn);
    expect(text.json).toBe('{"fulfillmentResponse":{"messages":[{"text":{"text":["Hi"]}},{"text":{"text":["there"]}}]}}');
    expect(text.json).toBe(JSON.stringify(text.body));
    for (const reply of [{ text: "Hi", targetPage: "confirm" }, { text: "Hi", session: { values: { a: 1 } } }, { text: "Hi", mergeBehavior: "REPLACE" as const }, { text: [] }]) {
      expect(dialogflowCx.serialize(reply, turn).json, JSON.stringify(reply)).toBeUndefined();
    }
  });

  it("keeps null session values (null deletes a parameter) and prefers targetPage", () => {
    const turn = turnOf({ detectIntentResponseId: "d", fulfillmentInfo: { tag: "t" } });
    const res = dialogflowCx.serialize(
      {
        session: { values: { a: 1, gone: null } },
        targetPage: "projects/p/locations/global/agents/a/flows/f/pages/pg",
        targetFlow: "projects/p/locations/global/agents/a/flows/f",
      },
      turn,
    );
    expect(res.body).toEqual({
      sessionInfo: { parameters: { a: 1, gone: null } },
      targetPage: "projects/p/locations/global/agents/a/flows/f/pages/pg",
    });
  });

  it("sends targetFlow alone when there is no targetPage", () => {
    const turn = turnOf({ detectIntentResponseId: "d", fulfillmentInfo: {} });
    expect(dialogflowCx.serialize({ targetFlow: "projects/p/locations/global/agents/a/flows/f" }, turn).body).toEqual({
      targetFlow: "projects/p/locations/global/agents/a/flows/f",
    });
  });

  it("sends REPLACE with no messages to clear the queued ones", () => {
    const turn = turnOf({ detectIntentResponseId: "d", fulfillmentInfo: {} });
    expect(dialogflowCx.serialize({ mergeBehavior: "REPLACE" }, turn).body).toEqual({
      fulfillmentResponse: { messages: [], mergeBehavior: "REPLACE" },
    });
  });

  it("turns quick replies and images into Dialogflow Messenger rich content, platform into channel", () => {
    const turn = turnOf({ detectIntentResponseId: "d", fulfillmentInfo: {} });
    const res = dialogflowCx.serialize(
      {
        messages: [
          { quickReplies: { replies: ["Yes", "No"] }, platform: "messenger" },
          { image: { imageUrl: "https://x/i.png" } },
        ],
      },
      turn,
    );
    expect(res.body).toEqual({
      fulfillmentResponse: {
        messages: [
          { channel: "messenger", payload: { richContent: [[{ type: "chips", options: [{ text: "Yes" }, { text: "No" }] }]] } },
          { payload: { richContent: [[{ type: "image", rawUrl: "https://x/i.png" }]] } },
        ],
      },
    });
  });

  it("does not detect ES bodies", () => {
    expect(dialogflowCx.detect({ fulfillmentInfo: {} })).toBe(false);
    expect(dialogflowCx.detect({ queryResult: {}, session: "s" })).toBe(false);
  });
});

describe("dialogflow-cx: audio, handoff and end-of-interaction messages without native", () => {
  it("serializes ssml, audio, handoff and endInteraction to CX ResponseMessages the schema accepts", async () => {
    const { Ajv } = await import("ajv");
    const validate = new Ajv({ strict: false }).compile(dialogflowCx.responseSchema);
    const turn = dialogflowCx.parse(payload("dialogflow-cx"), {});
    const { body } = dialogflowCx.serialize(
      {
        messages: [
          { ssml: "<speak>Hello <break time='1s'/> there</speak>", allowPlaybackInterruption: true },
          { audio: { uri: "gs://bucket/welcome.wav" } },
          { handoff: { metadata: { queue: "billing" } } },
          { endInteraction: true },
        ],
      },
      turn,
    );
    expect(body).toEqual({
      fulfillmentResponse: {
        messages: [
          { outputAudioText: { ssml: "<speak>Hello <break time='1s'/> there</speak>", allowPlaybackInterruption: true } },
          { playAudio: { audioUri: "gs://bucket/welcome.wav" } },
          { liveAgentHandoff: { metadata: { queue: "billing" } } },
          { endInteraction: {} },
        ],
      },
    });
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it("other platforms skip them", async () => {
    const { rasa } = await import("../../src/platforms/rasa.js");
    const { body } = rasa.serialize({ text: "hi", messages: [{ endInteraction: true }, { ssml: "<speak/>" }] }, rasa.parse(payload("rasa"), {}));
    expect((body as { responses: unknown[] }).responses).toHaveLength(1);
  });
});

describe("dialogflow-cx: targetPage / targetFlow relative to the request's agent and flow", () => {
  const turn = dialogflowCx.parse(payload("dialogflow-cx"), {});
  const agent = "projects/p/locations/global/agents/a";
  const target = (reply: Record<string, string>) => dialogflowCx.serialize(reply, turn).body as Record<string, string>;

  it("resolves a page id in the current flow, an agent-relative name, and a flow id; keeps full names", () => {
    expect(target({ targetPage: "END_SESSION" }).targetPage).toBe(`${agent}/flows/f/pages/END_SESSION`);
    expect(target({ targetPage: "flows/other/pages/confirm" }).targetPage).toBe(`${agent}/flows/other/pages/confirm`);
    expect(target({ targetFlow: "billing" }).targetFlow).toBe(`${agent}/flows/billing`);
    expect(target({ targetPage: `${agent}/flows/x/pages/y` }).targetPage).toBe(`${agent}/flows/x/pages/y`);
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
