import { describe, expect, it } from "vitest";
import { runAdapterSuite } from "./conformance.js";
import { lex } from "../../src/platforms/lex.js";

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
