import { describe, expect, it } from "vitest";
import { dialogflowCx } from "../../src/platforms/dialogflow-cx.js";
import { runAdapterSuite } from "./conformance.js";

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
