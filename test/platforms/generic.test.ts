import { describe, expect, it } from "vitest";
import { generic } from "../../src/platforms/generic.js";
import { runAdapterSuite } from "./conformance.js";

runAdapterSuite(generic, {
  acceptsAnything: true,
  samples: [
    { event: "order.created" },
    { event: "ping", params: { "order-id": "A1", total: 12.5 } },
    { text: "hello", sessionId: "s-1" },
  ],
});

describe("generic adapter", () => {
  it("takes event from type, params from params, text from text", () => {
    const body = { type: "invoice.paid", params: { id: 7 }, text: "paid", other: 1 };
    const turn = generic.parse(body, { "x-a": "b" });
    expect(turn).toMatchObject({ platform: "generic", event: "invoice.paid", params: { id: 7 }, text: "paid" });
    expect(turn.headers).toEqual({ "x-a": "b" });
  });

  it("ignores fields of the wrong type", () => {
    const turn = generic.parse({ type: 3, params: [1], text: {} }, {});
    expect(turn.event).toBeUndefined();
    expect(turn.params).toEqual({});
    expect(turn.text).toBeUndefined();
  });

  it("detects any JSON object and nothing else", () => {
    expect(generic.detect({})).toBe(true);
    expect(generic.detect([])).toBe(false);
    expect(generic.detect(null)).toBe(false);
  });

  it("sends the reply as JSON without native, then merges native", () => {
    const turn = generic.parse({}, {});
    const res = generic.serialize({ text: ["a", "b"], data: { x: { y: 1 } }, native: { data: { x: { z: 2 } } } }, turn);
    expect(res).toEqual({ status: 200, body: { text: ["a", "b"], data: { x: { y: 1, z: 2 } } } });
  });

  it("answers 204 with no body when there is no answer", () => {
    expect(generic.serialize(null, generic.parse({}, {}))).toEqual({ status: 204 });
  });
});
