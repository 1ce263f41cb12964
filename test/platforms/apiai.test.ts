import { describe, expect, it } from "vitest";
import { apiai } from "../../src/platforms/apiai.js";
import { runAdapterSuite } from "./conformance.js";

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
