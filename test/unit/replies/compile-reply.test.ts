import { describe, expect, it } from "vitest";
import type { Turn } from "../../../src/types.js";
import { checkReply, compileReply } from "../../../src/replies/compile-reply.js";
import { TemplateError } from "../../../src/replies/compile-template.js";

function makeTurn(params: Record<string, unknown> = { name: "Ada", city: "Paris" }): Turn {
  return { platform: "apiai", intent: "greet", params, session: { id: "s1", values: {} }, contexts: [], raw: {}, headers: {} };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe("compileReply", () => {
  const config = deepFreeze({
    text: "Hi {{ params.name }}!",
    displayText: "static",
    data: { slack: { text: "{{ params.city }}", fixed: { a: 1 } }, google: { expectUserResponse: true } },
    contexts: [
      { name: "weather", lifespan: 2, params: { city: "{{ params.city }}", unit: "C" } },
      { name: "static", lifespan: 1 },
    ],
    followupEvent: { name: "next", params: { who: "{{ params.name | default: 'nobody' }}" } },
    native: { source: "x", list: ["{{ intent }}", 2, null, true] },
    messages: [{ text: ["a {{ params.name }}", "b"] }],
  });
  const render = compileReply(config);

  it("renders every string, nested in objects and arrays", () => {
    expect(render(makeTurn())).toEqual({
      text: "Hi Ada!",
      displayText: "static",
      data: { slack: { text: "Paris", fixed: { a: 1 } }, google: { expectUserResponse: true } },
      contexts: [
        { name: "weather", lifespan: 2, params: { city: "Paris", unit: "C" } },
        { name: "static", lifespan: 1 },
      ],
      followupEvent: { name: "next", params: { who: "Ada" } },
      native: { source: "x", list: ["greet", 2, null, true] },
      messages: [{ text: ["a Ada", "b"] }],
    });
  });

  it("builds a fresh reply per call and leaves the config untouched", () => {
    const a = render(makeTurn({ name: "Ada", city: "Paris" }));
    const b = render(makeTurn({ city: "Rome" }));
    expect(a).not.toBe(b);
    expect(a.text).toBe("Hi Ada!");
    expect(b.text).toBe("Hi !");
    expect(b.followupEvent?.params?.who).toBe("nobody");
    expect((b.contexts?.[0]?.params as Record<string, unknown>).city).toBe("Rome");
    expect(config.text).toBe("Hi {{ params.name }}!");
    expect(config.contexts[0]?.params?.city).toBe("{{ params.city }}");
  });

  it("shares constant sub-trees and rebuilds templated ones", () => {
    const a = render(makeTurn());
    const b = render(makeTurn());
    const data = (r: typeof a) => r.data as { slack: { fixed: unknown }; google: unknown };
    expect(data(a).google).toBe(config.data.google);
    expect(data(a).slack.fixed).toBe(config.data.slack.fixed);
    expect(a.contexts?.[1]).toBe(config.contexts[1]);
    expect(a.data).not.toBe(b.data);
    expect(a.contexts).not.toBe(b.contexts);
  });

  it("returns a fresh top-level object even when nothing is templated", () => {
    const reply = deepFreeze({ text: "Sorry, I can't help with that yet." });
    const r = compileReply(reply);
    const a = r(makeTurn());
    expect(a).toEqual(reply);
    expect(a).not.toBe(reply);
    expect(r(makeTurn())).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
  });

  it("does not re-render values injected from the request", () => {
    const r = compileReply({ text: "{{ params.name }}", data: { x: "{{ params.name }}" } });
    const out = r(makeTurn({ name: "{{ session.id }}" }));
    expect(out.text).toBe("{{ session.id }}");
    expect(out.data).toEqual({ x: "{{ session.id }}" });
  });

  it("keeps a literal __proto__ key as data without changing the prototype", () => {
    const reply = JSON.parse('{"native": {"__proto__": {"polluted": "{{ params.name }}"}}}') as Record<string, unknown>;
    const out = compileReply(reply)(makeTurn());
    const native = out.native as Record<string, unknown>;
    expect(Object.getPrototypeOf(native)).toBe(Object.prototype);
    expect(Object.hasOwn(native, "__proto__")).toBe(true);
    expect((Object.getOwnPropertyDescriptor(native, "__proto__")?.value as Record<string, unknown>).polluted).toBe("Ada");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("throws a TemplateError naming the sub-path", () => {
    expect(() => compileReply({ contexts: [{ name: "c", params: { city: "{{ params.city" } }] })).toThrow(TemplateError);
    expect(() => compileReply({ contexts: [{ name: "c", params: { city: "{{ params.city" } }] })).toThrow(/^contexts\[0\]\.params\.city: unclosed/);
  });
});

describe("checkReply", () => {
  it("lists every problem with its sub-path", () => {
    expect(
      checkReply({
        text: ["fine {{ params.a }}", "{{ params.b | upcase }}"],
        contexts: [{ name: "c", params: { city: "{{ params.city" } }],
        data: { ok: "{{ raw.x }}", n: 1, nil: null },
        displayText: "{{ nope }}",
      }),
    ).toEqual([
      { path: "text[1]", message: expect.stringMatching(/unknown filter "upcase"/) as unknown },
      { path: "contexts[0].params.city", message: expect.stringMatching(/unclosed/) as unknown },
      { path: "displayText", message: expect.stringMatching(/unknown variable "nope"/) as unknown },
    ]);
  });

  it("is empty for a valid reply", () => {
    expect(checkReply({ text: "Hi {{ params.name | default: 'friend' }}", data: { a: [1, "{{ lang }}"] } })).toEqual([]);
  });
});
