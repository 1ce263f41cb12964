/** Parameter names come from the request body: `__proto__` must stay a plain own key. */
import { describe, expect, it } from "vitest";
import { getAdapter } from "../../src/platforms/registry.js";

const evil = JSON.parse('{"__proto__": {"value": "x", "resolvedValue": "x", "value2": 1}}') as Record<string, unknown>;

function expectPlain(params: Record<string, unknown>): void {
  expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  expect(Object.prototype.hasOwnProperty.call(params, "__proto__")).toBe(true);
  expect(({} as Record<string, unknown>).value).toBeUndefined();
}

describe("__proto__ as a parameter name", () => {
  it("hutoma variablesMap", () => {
    const body = { ...(getAdapter("hutoma")!.sample({ intent: "x" }) as Record<string, unknown>), variablesMap: evil };
    expectPlain(getAdapter("hutoma")!.parse(body, {}).params);
  });

  it("dialogflow-cx intent parameters", () => {
    const sample = getAdapter("dialogflow-cx")!.sample({ tag: "x" }) as Record<string, unknown>;
    const body = { ...sample, intentInfo: { displayName: "x", parameters: evil } };
    expectPlain(getAdapter("dialogflow-cx")!.parse(body, {}).params);
  });

  it("lex slots", () => {
    const sample = getAdapter("lex")!.sample({ intent: "x" }) as { sessionState: { intent: Record<string, unknown> } };
    const body = { ...sample, sessionState: { ...sample.sessionState, intent: { ...sample.sessionState.intent, slots: evil } } };
    expectPlain(getAdapter("lex")!.parse(body, {}).params);
  });
});
