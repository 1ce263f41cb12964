import { runAdapterSuite } from "./conformance.js";
import { rasa } from "../../src/platforms/rasa.js";
import { describe, expect, it } from "vitest";
import { fixture, expectValid, answer } from "./golden-helpers.js";

runAdapterSuite(rasa, {
  samples: [
    { action: "action_tell_weather", intent: "ask_weather", params: { location: "Berlin" }, text: "weather?", sessionId: "u1" },
    { action: "action_hello" },
    {},
  ],
});

describe("rasa", () => {
  const request = fixture("rasa/request.json");

  it("parses the action server request", () => {
    const turn = rasa.parse(request, {});
    expect(turn).toMatchObject({
      platform: "rasa",
      action: "action_tell_weather",
      intent: "ask_weather",
      text: "/ask_weather",
      params: { location: null, temperature: null },
      session: { id: "2687378567977106", values: { location: null, temperature: null } },
    });
  });

  it("text + session values serialize to the sample response exactly", () => {
    const expected = fixture("rasa/response.json");
    expectValid(rasa.responseSchema, expected);
    const res = answer(rasa, request, { text: "It is 30 °C in Berlin.", session: { values: { temperature: "30" } } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toBe(JSON.stringify(expected));
  });

  it("maps rich messages, data, actions and followupEvent", () => {
    const res = answer(rasa, request, {
      text: ["a", "b"],
      messages: [
        { quickReplies: { title: "Pick", replies: ["yes"] } },
        { image: { imageUrl: "https://x.test/i.png" } },
        { card: { title: "T", subtitle: "S", buttons: [{ text: "Go", postback: "/go" }] } },
        { payload: { custom_key: 1 } },
      ],
      data: { widget: true },
      actions: [{ event: "reset_slots" }],
      followupEvent: { name: "action_next" },
    });
    expectValid(rasa.responseSchema, res.body);
    expect(res.body).toEqual({
      events: [{ event: "reset_slots" }, { event: "followup", timestamp: null, name: "action_next" }],
      responses: [
        { text: "a" },
        { text: "b" },
        { text: "Pick", buttons: [{ title: "yes", payload: "yes" }] },
        { image: "https://x.test/i.png" },
        { text: "T\nS", buttons: [{ title: "Go", payload: "/go" }] },
        { custom: { custom_key: 1 } },
        { custom: { widget: true } },
      ],
    });
  });

  it("no answer is empty events and responses", () => {
    expect(JSON.stringify(answer(rasa, request, null).body)).toBe('{"events":[],"responses":[]}');
  });

  it("noRoute answers 404 like rasa_sdk", () => {
    expect(rasa.noRoute?.(rasa.parse(request, {}))).toEqual({
      status: 404,
      body: { error: "No registered action found for name 'action_tell_weather'.", action_name: "action_tell_weather" },
    });
  });

  it("lists GET <path>/actions (one entry per action) and GET /health", () => {
    const [actions, health] = rasa.listings ?? [];
    expect(actions?.path("/rasa/")).toBe("/rasa/actions");
    expect(actions?.body([{ action: "action_a" }, { intent: "greet" }, { action: "action_b" }, { action: "action_a" }])).toEqual([{ name: "action_a" }, { name: "action_b" }]);
    expect(health?.authenticated).toBe(false);
    expect(health?.body([])).toEqual({ status: "ok" });
  });
});
