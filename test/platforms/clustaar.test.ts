import { runAdapterSuite } from "./conformance.js";
import { clustaar } from "../../src/platforms/clustaar.js";
import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { clustaarSignedContent } from "../../src/platforms/clustaar-signed-content.js";
import { fixture, expectValid, expectInvalid, answer } from "./golden-helpers.js";

runAdapterSuite(clustaar, {
  samples: [
    { event: "conversation.step_reached", params: { name: "tintin" }, text: "hello", sessionId: "123" },
    { event: "conversation.step_reached" },
    {},
  ],
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
