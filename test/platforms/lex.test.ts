import { describe, expect, it } from "vitest";
import { runAdapterSuite } from "./conformance.js";
import { lex } from "../../src/platforms/lex.js";
import { fixture, expectValid, expectInvalid, answer } from "./golden-helpers.js";

runAdapterSuite(lex, {
  samples: [
    { intent: "BookHotel", event: "FulfillmentCodeHook", params: { Location: "Paris", Extras: ["wifi", "breakfast"] }, text: "book a hotel", lang: "en_GB" },
    { intent: "OrderFlowers", event: "DialogCodeHook" },
    {},
  ],
});

describe("lex: set a slot and elicit the next without native", () => {
  it("writes reply.slots as Lex Slot objects over the request's slots, and the schema accepts it", async () => {
    const { Ajv } = await import("ajv");
    const { payload } = await import("../fixtures/payloads/load-payload.js");
    const validate = new Ajv({ strict: false }).compile(lex.responseSchema);
    const turn = lex.parse(payload("lex"), {});
    const { body } = lex.serialize({ text: "When do you check out?", slots: { City: "Paris", Nights: null }, dialogAction: { type: "ElicitSlot", slotToElicit: "CheckOutDate" } }, turn);
    const state = (body as { sessionState: { dialogAction: unknown; intent: { slots: Record<string, unknown> } } }).sessionState;
    expect(state.dialogAction).toEqual({ type: "ElicitSlot", slotToElicit: "CheckOutDate" });
    expect(state.intent.slots.City).toEqual({ shape: "Scalar", value: { originalValue: "Paris", interpretedValue: "Paris", resolvedValues: ["Paris"] } });
    expect(state.intent.slots.Nights).toBeNull();
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
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
