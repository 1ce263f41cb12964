import { runAdapterSuite } from "./conformance.js";
import { hutoma } from "../../src/platforms/hutoma.js";
import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { fixture, expectValid, answer } from "./golden-helpers.js";

runAdapterSuite(hutoma, {
  samples: [
    { intent: "colour", params: { colour: "blue" }, text: "i like the colour blue", sessionId: "chat-1" },
    { intent: "greet" },
    {},
  ],
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
