import { runAdapterSuite } from "./conformance.js";
import { aiflow } from "../../src/platforms/aiflow.js";
import { describe, expect, it } from "vitest";
import { fixture, expectValid, expectInvalid, answer } from "./golden-helpers.js";

runAdapterSuite(aiflow, {
  samples: [
    { event: "user_speak", text: "Hello, I need help", sessionId: "550e8400-e29b-41d4-a716-446655440000" },
    { event: "session_start", params: { direction: "outbound" } },
    { text: "hi" },
    {},
  ],
});

describe("aiflow", () => {
  const start = fixture("aiflow/session_start.request.json");
  const speak = fixture("aiflow/user_speak.request.json");
  const sessionId = "550e8400-e29b-41d4-a716-446655440000";

  it("parses session_start and user_speak", () => {
    expect(aiflow.parse(start, {})).toMatchObject({
      platform: "aiflow",
      event: "session_start",
      params: {
        account_id: "account-123",
        phone_number: "+1234567890",
        direction: "inbound",
        from_phone_number: "+9876543210",
        to_phone_number: "+1234567890",
      },
      session: { id: sessionId, values: {} },
    });
    const turn = aiflow.parse(speak, {});
    expect(turn).toMatchObject({ event: "user_speak", text: "Hello, I need help", session: { id: sessionId } });
    expect(turn.params).not.toHaveProperty("id");
  });

  it("reads the older `transcript` field", () => {
    const old = { type: "user_speak", transcript: "hallo", session: { id: "s1", account_id: "a" } };
    expect(aiflow.detect(old)).toBe(true);
    expect(aiflow.detect({ type: "user_speak", session: { id: "s1" } })).toBe(false);
    expect(aiflow.parse(old, {}).text).toBe("hallo");
  });

  it("a text reply with native extras serializes to the sample speak action exactly", () => {
    const expected = fixture("aiflow/speak.response.json");
    expectValid(aiflow.responseSchema, expected);
    const res = answer(aiflow, start, { text: "Welcome! How can I help you today?", native: { user_input_timeout_seconds: 8 } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toBe(JSON.stringify(expected));
  });

  it("joins text with a space, sends <speak> as ssml, and sends one explicit action with session_id", () => {
    expect(answer(aiflow, speak, { text: ["One.", "Two."] }).body).toEqual({ type: "speak", session_id: sessionId, text: "One. Two." });
    expect(answer(aiflow, speak, { text: "<speak>Hi</speak>" }).body).toEqual({ type: "speak", session_id: sessionId, ssml: "<speak>Hi</speak>" });
    const hangup = answer(aiflow, speak, { text: "ignored", actions: [{ type: "hangup" }, { type: "speak" }] });
    expect(hangup.body).toEqual({ type: "hangup", session_id: sessionId });
    const transfer = answer(aiflow, speak, { actions: [{ type: "transfer", target_phone_number: "+4921100000" }] });
    expectValid(aiflow.responseSchema, transfer.body);
  });

  it("no answer, an empty reply and no route are 204 without a body", () => {
    expect(answer(aiflow, speak, null)).toEqual({ status: 204 });
    expect(answer(aiflow, speak, {})).toEqual({ status: 204 });
    expect(answer(aiflow, speak, { text: "" })).toEqual({ status: 204 });
    expect(aiflow.noRoute?.(aiflow.parse(speak, {}))).toEqual({ status: 204 });
  });

  it("over a WebSocket: each frame is one event, an action goes back as its JSON text, an array as one frame, no action as nothing", () => {
    const socket = aiflow.socket!;
    expect(socket.events).toBeUndefined();
    const res = answer(aiflow, start, { text: "Welcome! How can I help you today?", native: { user_input_timeout_seconds: 8 } });
    expect(socket.frames(res, start)).toEqual([JSON.stringify(fixture("aiflow/speak.response.json"))]);
    const actions = [{ type: "barge_in", session_id: sessionId }, { type: "speak", session_id: sessionId, text: "Sorry?" }];
    expect(socket.frames({ status: 200, body: actions }, speak)).toEqual([JSON.stringify(actions)]);
    expect(socket.frames(answer(aiflow, speak, null), speak)).toEqual([]);
    expect(socket.frames(aiflow.noRoute!(aiflow.parse(speak, {}))!, speak)).toEqual([]);
  });

  it("the response schema refuses a speak without text or ssml", () => {
    expectInvalid(aiflow.responseSchema, { type: "speak", session_id: sessionId });
    expectInvalid(aiflow.responseSchema, { type: "speak", text: "no session" });
  });
});
