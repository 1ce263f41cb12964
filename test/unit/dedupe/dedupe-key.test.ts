import { describe, expect, it } from "vitest";
import { compileKey, keySpec } from "../../../src/dedupe/dedupe-key.js";

describe("keySpec", () => {
  it("prefers the webhook's key, then the adapter default only when server.dedupe is set", () => {
    expect(keySpec({ key: "session" }, "responseId", false)).toBe("session");
    expect(keySpec(undefined, "responseId", true)).toBe("responseId");
    expect(keySpec(undefined, "responseId", false)).toBeUndefined();
    expect(keySpec(undefined, undefined, true)).toBeUndefined();
    expect(keySpec(false, "responseId", true)).toBeUndefined();
  });
});

describe("compileKey", () => {
  it("reads a dotted path into the body", () => {
    const read = compileKey("originalDetectIntentRequest.payload.id");
    expect(read({ originalDetectIntentRequest: { payload: { id: 42 } } }, {})).toBe("42");
    expect(read({}, {})).toBeUndefined();
    expect(compileKey("responseId")({ responseId: "" }, {})).toBeUndefined();
  });

  it("reads a header, case-insensitively by name", () => {
    const read = compileKey("header:Webhook-Id");
    expect(read({}, { "webhook-id": "msg_1" })).toBe("msg_1");
    expect(read({}, { "webhook-id": ["msg_2", "x"] })).toBe("msg_2");
    expect(read({}, {})).toBeUndefined();
  });
});
