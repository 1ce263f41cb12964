import { describe, expect, it } from "vitest";
import { dialogflow, fullContextName, shortContextName } from "../../src/platforms/dialogflow.js";
import { runAdapterSuite } from "./conformance.js";

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
});
