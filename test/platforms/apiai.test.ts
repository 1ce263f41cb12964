import { describe, expect, it } from "vitest";
import { apiai } from "../../src/platforms/apiai.js";
import { runAdapterSuite } from "./conformance.js";
import { detectAdapter } from "../../src/platforms/registry.js";
import { fixture, validator, everything } from "./golden-helpers.js";

runAdapterSuite(apiai, {
  samples: [
    { action: "greetings" },
    { intent: "weather.today" },
    { intent: "order", action: "order.create", params: { "delivery-address": "Via Roma 1", qty: 2 } },
    { action: "echo", text: "my name is Ana", lang: "de", sessionId: "s-1" },
  ],
});

describe("apiai adapter", () => {
  it("accepts the apiaiwebhook test client's minimal body", () => {
    const body = { result: { action: "hello", parameters: { name: "Ana" } } };
    expect(apiai.detect(body)).toBe(true);
    const turn = apiai.parse(body, {});
    expect(turn.action).toBe("hello");
    expect(turn.params).toEqual({ name: "Ana" });
    expect(turn.intent).toBeUndefined();
    expect(turn.session).toEqual({ values: {} });
  });

  it("does not detect bodies without a result object", () => {
    expect(apiai.detect({ sessionId: "x", lang: "en" })).toBe(false);
    expect(apiai.detect({ result: "x", sessionId: "x" })).toBe(false);
    expect(apiai.detect({ result: {} })).toBe(false);
  });

  it("treats an empty action or intent name as absent", () => {
    const turn = apiai.parse({ sessionId: "s", result: { action: "", metadata: { intentName: "" } } }, {});
    expect(turn.action).toBeUndefined();
    expect(turn.intent).toBeUndefined();
  });

  it("sends a single text as speech and displayText only", () => {
    const turn = apiai.parse(apiai.sample({ action: "a" }), {});
    expect(apiai.serialize({ text: "Hi" }, turn).body).toEqual({
      speech: "Hi",
      displayText: "Hi",
      source: "webhook-serve",
    });
  });

  it("joins several texts into speech and sends one type-0 message each", () => {
    const turn = apiai.parse(apiai.sample({ action: "a" }), {});
    expect(apiai.serialize({ text: ["Hi.", "How are you?"], displayText: "Hi!" }, turn).body).toEqual({
      speech: "Hi. How are you?",
      displayText: "Hi!",
      messages: [
        { type: 0, speech: "Hi." },
        { type: 0, speech: "How are you?" },
      ],
      source: "webhook-serve",
    });
  });

  it("answers {} with status 200 when there is no answer", () => {
    const turn = apiai.parse(apiai.sample({ action: "a" }), {});
    expect(apiai.serialize(null, turn)).toEqual({ status: 200, body: {} });
  });

  it("lets native override source", () => {
    const turn = apiai.parse(apiai.sample({ action: "a" }), {});
    expect(apiai.serialize({ text: "x", native: { source: "mine" } }, turn).body).toMatchObject({ source: "mine" });
  });
});

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
