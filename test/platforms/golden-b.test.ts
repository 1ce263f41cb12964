/**
 * Golden tests for hutoma, clustaar, aiflow, rasa and lex against test/fixtures/payloads:
 * parse the platforms' own sample requests, validate their sample responses, and
 * serialize replies to exact bodies. Signature vectors come from test/fixtures/payloads/README.md.
 */
import { createHmac } from "node:crypto";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { aiflow } from "../../src/platforms/aiflow.js";
import { clustaar } from "../../src/platforms/clustaar.js";
import { clustaarSignedContent } from "../../src/platforms/clustaar-signed-content.js";
import { hutoma } from "../../src/platforms/hutoma.js";
import { lex } from "../../src/platforms/lex.js";
import { rasa } from "../../src/platforms/rasa.js";
import { detectAdapter } from "../../src/platforms/registry.js";
import type { PlatformAdapter } from "../../src/platforms/types.js";
import type { Reply } from "../../src/types.js";
import { payload, type PayloadPlatform } from "../fixtures/payloads/load-payload.js";

function fixture(path: string): unknown {
  const [platform, file] = path.split("/") as [PayloadPlatform, string];
  return payload(platform, file);
}

const ajv = new Ajv({ allErrors: true, strict: false });

function expectValid(schema: object, value: unknown): void {
  const validate = ajv.compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

function expectInvalid(schema: object, value: unknown): void {
  expect(ajv.compile(schema)(value)).toBe(false);
}

/** Serialize `reply` for the turn parsed from `request`. */
function answer(adapter: PlatformAdapter, request: unknown, reply: Reply | null, headers = {}) {
  return adapter.serialize(reply, adapter.parse(request, headers));
}

const mine: [PlatformAdapter, string[]][] = [
  [hutoma, ["hutoma/request.json", "hutoma/request-2017.json"]],
  [clustaar, ["clustaar/request.json"]],
  [aiflow, ["aiflow/session_start.request.json", "aiflow/user_speak.request.json"]],
  [rasa, ["rasa/request.json"]],
  [lex, ["lex/request.json"]],
];

describe("detection over the sample payloads", () => {
  for (const [adapter, requests] of mine) {
    for (const path of requests) {
      it(`${path} is detected by ${adapter.name} alone and is schema-valid`, () => {
        const body = fixture(path);
        expectValid(adapter.requestSchema, body);
        for (const [other] of mine) expect(other.detect(body), other.name).toBe(other === adapter);
        expect(detectAdapter(body)?.name).toBe(adapter.name);
      });
    }
  }

  for (const path of ["apiai/request.json", "dialogflow/request.json", "dialogflow-cx/request.json"]) {
    it(`${path} is detected by none of hutoma/clustaar/aiflow/rasa/lex`, () => {
      const body = fixture(path);
      for (const [adapter] of mine) expect(adapter.detect(body), adapter.name).toBe(false);
    });
  }
});

describe("hutoma", () => {
  const request = fixture("hutoma/request.json");

  it("reads the 2017 example's memoryVariables (name, currentValue)", () => {
    const turn = hutoma.parse(fixture("hutoma/request-2017.json"), {});
    expect(turn).toMatchObject({ intent: "colour", params: { colour: "blue" }, text: "Tell me about the colour blue" });
  });

  it("parses the README request", () => {
    const turn = hutoma.parse(request, { "x-hub-signature": "sha256=x" });
    expect(turn).toMatchObject({
      platform: "hutoma",
      intent: "colour",
      params: { colour: "blue" },
      text: "i like the colour blue",
      session: { values: {} },
      contexts: [],
      headers: { "x-hub-signature": "sha256=x" },
    });
    expect(turn.session.id).toBeUndefined();
    expect(turn.raw).toBe(request);
  });

  it("reads web-api's extra fields and the older memoryVariables list", () => {
    const turn = hutoma.parse(
      {
        intentName: "order",
        memoryVariables: [{ label: "size", value: "large" }, { entity: "crust", value: "thin" }],
        variablesMap: { size: { label: "size", value: "medium" } },
        chatResult: { query: "a medium pizza", context: { plan: { value: "pro", lifespan_turns: 2 } } },
        chatSession: "hashed-chat-id",
        language: "en",
      },
      {},
    );
    expect(turn.params).toEqual({ size: "medium", crust: "thin" });
    expect(turn.session).toEqual({ id: "hashed-chat-id", values: { plan: "pro" } });
    expect(turn.lang).toBe("en");
  });

  it("the sample response is valid and a text reply serializes to it exactly", () => {
    const expected = fixture("hutoma/response.json");
    expectValid(hutoma.responseSchema, expected);
    const res = answer(hutoma, request, { text: "Blue is the colour of the sky." });
    expect(res).toEqual({ status: 200, body: expected });
  });

  it("joins several strings with a space, maps session values to context variables, empties on no answer", () => {
    const res = answer(hutoma, request, { text: ["Blue.", "Like the sky."], session: { values: { colour: "blue", old: null } } });
    expect(JSON.stringify(res.body)).toBe(
      '{"text":"Blue. Like the sky.","context":{"variables":{"colour":{"value":"blue"},"old":{"value":null}}}}',
    );
    expect(answer(hutoma, request, null)).toEqual({ status: 200, body: { text: "" } });
    expect(answer(hutoma, request, { session: { values: {} } }).body).toMatchObject({ text: "" });
  });

  it("signature defaults reproduce the README vector over the raw body", () => {
    const raw = Buffer.from('{"intentName":"colour","chatResult":{"query":"blue"}}');
    const sig = hutoma.signature;
    expect(sig).toMatchObject({ header: "x-hub-signature", algorithm: "sha256", encoding: "hex", prefix: "sha256=" });
    const content = sig?.signedContent ? sig.signedContent(raw, {}) : raw;
    const value = `${sig?.prefix}${createHmac(sig?.algorithm ?? "", "0123456789abcdef0123456789abcdef01234567").update(content).digest("hex")}`;
    expect(value).toBe("sha256=f849db60c068f473f3da1e98c7743f6c9e13064ab922bcb624fbc04a740eb3dc");
    expect(hutoma.defaultTimeout).toBe(9000);
  });
});

describe("clustaar", () => {
  const request = fixture("clustaar/request.json");

  it("parses the clustaar.schemas request", () => {
    const turn = clustaar.parse(request, {});
    expect(turn).toMatchObject({
      platform: "clustaar",
      event: "conversation.step_reached",
      params: { name: "tintin" },
      session: { id: "123", values: { name: "tintin" } },
      contexts: [],
    });
    // A custom_event input carries no text.
    expect(turn.text).toBeUndefined();
    const withText = structuredClone(request) as { data: { input: unknown } };
    withText.data.input = { type: "message", text: "hello", attachments: [] };
    expect(clustaar.parse(withText, {}).text).toBe("hello");
  });

  it("accepts the older request without data.type and data.input", () => {
    const old = structuredClone(request) as { data: Record<string, unknown> };
    delete old.data.type;
    delete old.data.input;
    expect(clustaar.detect(old)).toBe(true);
    expectValid(clustaar.requestSchema, old);
  });

  it("text alternatives + handler actions + session serialize to the sample response exactly", () => {
    const expected = fixture("clustaar/response.json") as { actions: unknown[] };
    expectValid(clustaar.responseSchema, expected);
    const res = answer(clustaar, request, {
      text: ["Hi John!", "Hello John!"],
      actions: expected.actions.slice(1),
      session: { values: { name: "John" } },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toBe(JSON.stringify(expected));
  });

  it("maps rich messages to Clustaar actions and skips ones it cannot form", () => {
    const res = answer(clustaar, request, {
      messages: [
        { image: { imageUrl: "https://x.test/a.png", accessibilityText: "A" } },
        { quickReplies: { title: "Ok?", replies: ["Yes", "No"] } },
        { quickReplies: { replies: ["untitled"] } },
        { card: { title: "Shop", buttons: [{ text: "Open", postback: "https://shop.test" }, { text: "Buy" }] } },
        { payload: { type: "pause_bot_action" } },
        { payload: { not: "an action" } },
        { text: "only for slack", platform: "slack" },
      ],
    });
    expectValid(clustaar.responseSchema, res.body);
    expect(res.body).toEqual({
      actions: [
        { type: "send_image_action", imageURL: "https://x.test/a.png", alt: "A" },
        {
          type: "send_quick_replies_action",
          message: "Ok?",
          buttons: [
            { type: "quick_reply", title: "Yes", action: { type: "legacy_reply_to_message_action", message: "Yes" } },
            { type: "quick_reply", title: "No", action: { type: "legacy_reply_to_message_action", message: "No" } },
          ],
        },
        {
          type: "send_cards_action",
          cards: [
            {
              type: "card",
              title: "Shop",
              subtitle: null,
              imageURL: null,
              buttons: [
                { type: "button", title: "Open", action: { type: "open_url_action", url: "https://shop.test" } },
                { type: "button", title: "Buy", action: { type: "legacy_reply_to_message_action", message: "Buy" } },
              ],
            },
          ],
        },
        { type: "pause_bot_action" },
      ],
      session: null,
    });
  });

  it("no answer is empty actions and a null session", () => {
    const res = answer(clustaar, request, null);
    expect(JSON.stringify(res.body)).toBe('{"actions":[],"session":null}');
  });

  it("the response schema refuses more than 10 alternatives or an empty one", () => {
    expectInvalid(clustaar.responseSchema, { actions: [{ type: "send_text_action", alternatives: [""] }] });
    expectInvalid(clustaar.responseSchema, {
      actions: [{ type: "send_text_action", alternatives: Array.from({ length: 11 }, (_, i) => `t${i}`) }],
    });
  });

  it("signedContent reproduces the clustaar.webhook test vector (no Date → date=None)", () => {
    const sig = clustaar.signature;
    expect(sig).toMatchObject({ header: "x-hub-signature", algorithm: "sha1", encoding: "hex", prefix: "sha1=" });
    expect(sig?.signedContent).toBe(clustaarSignedContent);
    const content = clustaarSignedContent(Buffer.from("{}"), {});
    expect(content.toString()).toBe("date=None\n{}");
    const value = `${sig?.prefix}${createHmac("sha1", "test").update(content).digest("hex")}`;
    expect(value).toBe("sha1=fc2bdea0e6a9e0dc333dece7568b5c3337a92342");
  });

  it("signedContent uses the Date header when present", () => {
    const date = "Wed, 21 Oct 2015 07:28:00 GMT";
    expect(clustaarSignedContent(Buffer.from('{"a":1}'), { date }).toString()).toBe(`date=${date}\n{"a":1}`);
    expect(clustaarSignedContent(Buffer.from("x"), { date: [date, "other"] }).toString()).toBe(`date=${date}\nx`);
    expect(clustaar.freshness).toEqual({ header: "date", maxAge: 10_000 });
  });
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

  it("the response schema refuses a speak without text or ssml", () => {
    expectInvalid(aiflow.responseSchema, { type: "speak", session_id: sessionId });
    expectInvalid(aiflow.responseSchema, { type: "speak", text: "no session" });
  });
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

describe("lex", () => {
  const request = fixture("lex/request.json");
  const slots = (request as { sessionState: { intent: { slots: unknown } } }).sessionState.intent.slots;

  it("parses the Lambda input event", () => {
    const turn = lex.parse(request, {});
    expect(turn).toMatchObject({
      platform: "lex",
      intent: "BookHotel",
      event: "DialogCodeHook",
      params: { Location: "Paris", CheckInDate: null },
      text: "book a hotel in Paris",
      session: { id: "123456789012", values: {} },
      contexts: [],
      lang: "en_US",
    });
  });

  it("reads List slots and active contexts", () => {
    const body = structuredClone(request) as { sessionState: Record<string, unknown> & { intent: { slots: Record<string, unknown> } } };
    body.sessionState.intent.slots.Extras = {
      shape: "List",
      value: { originalValue: "wifi and breakfast", interpretedValue: "wifi and breakfast", resolvedValues: [] },
      values: [
        { shape: "Scalar", value: { originalValue: "wifi", interpretedValue: "WiFi", resolvedValues: ["WiFi"] } },
        { shape: "Scalar", value: { originalValue: "breakfast", interpretedValue: "Breakfast", resolvedValues: [] } },
      ],
    };
    body.sessionState.activeContexts = [
      { name: "booking", contextAttributes: { id: "B-1" }, timeToLive: { timeToLiveInSeconds: 600, turnsToLive: 3 } },
    ];
    const turn = lex.parse(body, {});
    expect(turn.params.Extras).toEqual(["WiFi", "Breakfast"]);
    expect(turn.contexts).toEqual([{ name: "booking", lifespan: 3, params: { id: "B-1" } }]);
  });

  it("the sample response is valid; a Close reply fulfils the intent and merges session attributes", () => {
    expectValid(lex.responseSchema, fixture("lex/response.json"));
    const turn = lex.parse({ ...(request as object), sessionState: { ...(request as { sessionState: object }).sessionState, sessionAttributes: { a: "1", gone: "x" } } }, {});
    const res = lex.serialize({ text: "Your hotel in Paris is booked.", session: { values: { bookingId: "B-42", nights: 2, gone: null } } }, turn);
    expectValid(lex.responseSchema, res.body);
    expect(res.body).toEqual({
      sessionState: {
        sessionAttributes: { a: "1", bookingId: "B-42", nights: "2" },
        dialogAction: { type: "Close" },
        intent: { name: "BookHotel", state: "Fulfilled", confirmationState: "None", slots },
      },
      messages: [{ contentType: "PlainText", content: "Your hotel in Paris is booked." }],
    });
  });

  it("ElicitSlot keeps the intent in progress and needs slotToElicit", () => {
    const res = answer(lex, request, {
      text: "<speak>When do you arrive?</speak>",
      dialogAction: { type: "ElicitSlot", slotToElicit: "CheckInDate" },
    });
    expectValid(lex.responseSchema, res.body);
    expect(res.body).toEqual({
      sessionState: {
        sessionAttributes: {},
        dialogAction: { type: "ElicitSlot", slotToElicit: "CheckInDate" },
        intent: { name: "BookHotel", state: "InProgress", confirmationState: "None", slots },
      },
      messages: [{ contentType: "SSML", content: "<speak>When do you arrive?</speak>" }],
    });
    // A JS handler can still send it (the type refuses it): the response schema catches it.
    // @ts-expect-error -- ElicitSlot without slotToElicit is a type error
    expectInvalid(lex.responseSchema, answer(lex, request, { dialogAction: { type: "ElicitSlot" } }).body);
    expectInvalid(lex.responseSchema, answer(lex, request, { dialogAction: { type: "ConfirmIntent" } }).body);
  });

  it("maps cards, titled quick replies and payloads to Lex messages", () => {
    const res = answer(lex, request, {
      messages: [
        { card: { title: "Hotel", subtitle: "Paris", imageUrl: "https://x.test/h.png", buttons: [{ text: "Book", postback: "book" }] } },
        { quickReplies: { title: "Room?", replies: ["Single", "Double"] } },
        { quickReplies: { replies: ["no title, skipped"] } },
        { payload: { k: 1 } },
      ],
    });
    expectValid(lex.responseSchema, res.body);
    expect((res.body as { messages: unknown }).messages).toEqual([
      {
        contentType: "ImageResponseCard",
        imageResponseCard: { title: "Hotel", subtitle: "Paris", imageUrl: "https://x.test/h.png", buttons: [{ text: "Book", value: "book" }] },
      },
      {
        contentType: "ImageResponseCard",
        imageResponseCard: { title: "Room?", buttons: [{ text: "Single", value: "Single" }, { text: "Double", value: "Double" }] },
      },
      { contentType: "CustomPayload", content: '{"k":1}' },
    ]);
  });

  it("no answer delegates with no messages", () => {
    const res = answer(lex, request, null);
    expectValid(lex.responseSchema, res.body);
    expect(res.body).toEqual({
      sessionState: {
        sessionAttributes: {},
        dialogAction: { type: "Delegate" },
        intent: { name: "BookHotel", state: "InProgress", confirmationState: "None", slots },
      },
    });
  });
});
