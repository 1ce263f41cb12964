import { describe, expect, it } from "vitest";
import type { Filter, RouteConfig } from "../../../src/config/types.js";
import { compileRouter, type RoutableTurn } from "../../../src/routing/compile-router.js";

type RouteInput = Partial<Pick<RouteConfig, "intent" | "action" | "event" | "tag">> & { when?: Filter[] };

function routes(...inputs: RouteInput[]): RouteConfig[] {
  return inputs.map((input, i) => ({
    ...input,
    target: { kind: "reply", reply: { text: `route ${i}` }, at: { path: `routes[${i}].reply` } },
    at: { path: `routes[${i}]` },
  }));
}

const turn = (keys: Partial<RoutableTurn>): RoutableTurn => ({ raw: {}, ...keys });

describe("compileRouter", () => {
  it("matches each key kind by exact value", () => {
    const router = compileRouter(routes({ intent: "greet" }, { action: "weather.lookup" }, { event: "session_start" }, { tag: "balance" }));
    expect(router.match(turn({ intent: "greet" }))).toBe(0);
    expect(router.match(turn({ action: "weather.lookup" }))).toBe(1);
    expect(router.match(turn({ event: "session_start" }))).toBe(2);
    expect(router.match(turn({ tag: "balance" }))).toBe(3);
    expect(router.match(turn({ intent: "Greet" }))).toBe(-1);
    expect(router.match(turn({ intent: "balance" }))).toBe(-1); // a tag value is not an intent
    expect(router.match(turn({}))).toBe(-1);
  });

  it("returns -1 without routes", () => {
    expect(compileRouter([]).match(turn({ intent: "x" }))).toBe(-1);
  });

  it("takes the first match in file order", () => {
    const router = compileRouter(routes({ intent: "a", when: [{ key: "n", equals: 1 }] }, { intent: "a" }, { intent: "a" }));
    expect(router.match(turn({ intent: "a", raw: { n: 1 } }))).toBe(0);
    expect(router.match(turn({ intent: "a", raw: { n: 2 } }))).toBe(1);
  });

  it("takes the first match in file order across key kinds", () => {
    const r = routes({ tag: "t" }, { intent: "i" }, { event: "e" }, { action: "a" });
    const router = compileRouter(r);
    expect(router.match(turn({ action: "a", intent: "i" }))).toBe(1);
    expect(router.match(turn({ action: "a", event: "e" }))).toBe(2);
    expect(router.match(turn({ action: "a", tag: "t", intent: "i" }))).toBe(0);
    expect(router.match(turn({ action: "a", intent: "nope" }))).toBe(3);
  });

  it("falls through to a later kind when the earlier kind's filters fail", () => {
    const router = compileRouter(routes({ intent: "i", when: [{ key: "ok", exists: true }] }, { action: "a" }));
    expect(router.match(turn({ intent: "i", action: "a" }))).toBe(1);
    expect(router.match(turn({ intent: "i", action: "a", raw: { ok: 1 } }))).toBe(0);
  });

  it("treats when-only routes as candidates for every turn, in file order", () => {
    const router = compileRouter(
      routes(
        { intent: "late" },
        { when: [{ key: "vip", equals: true }] },
        { intent: "i" },
        { action: "a" },
        { when: [{ key: "any", exists: true }] },
      ),
    );
    expect(router.match(turn({ intent: "i", raw: { vip: true } }))).toBe(1);
    expect(router.match(turn({ intent: "i" }))).toBe(2);
    expect(router.match(turn({ intent: "late", raw: { vip: true } }))).toBe(0);
    expect(router.match(turn({ raw: { vip: true } }))).toBe(1);
    expect(router.match(turn({ raw: { any: 0 } }))).toBe(4);
    expect(router.match(turn({ event: "unknown", raw: { any: 0 } }))).toBe(4);
    expect(router.match(turn({ intent: "unknown", action: "a", raw: { any: 0 } }))).toBe(3);
    expect(router.match(turn({ intent: "i", action: "a", raw: { any: 0 } }))).toBe(2);
    expect(router.match(turn({ raw: {} }))).toBe(-1);
  });

  it("evaluates when-only routes once when a turn hits several key kinds", () => {
    let calls = 0;
    const raw = {
      get probe() {
        calls++;
        return undefined;
      },
    };
    const router = compileRouter(routes({ when: [{ key: "probe", exists: true }] }, { intent: "x", when: [{ key: "never", exists: true }] }, { action: "a" }));
    expect(router.match({ intent: "x", action: "a", raw })).toBe(2);
    expect(calls).toBe(1);
  });

  it("a route with neither key nor filters matches everything after earlier routes", () => {
    const router = compileRouter(routes({ intent: "i" }, {}, { intent: "j" }));
    expect(router.match(turn({ intent: "i" }))).toBe(0);
    expect(router.match(turn({ intent: "j" }))).toBe(1);
    expect(router.match(turn({}))).toBe(1);
  });

  it("runs when filters against turn.raw", () => {
    const router = compileRouter(routes({ event: "conversation.step_reached", when: [{ key: "data.step.id", equals: "507f" }, { key: "data.plan", in: ["pro", "team"] }] }));
    expect(router.match(turn({ event: "conversation.step_reached", raw: { data: { step: { id: "507f" }, plan: "team" } } }))).toBe(0);
    expect(router.match(turn({ event: "conversation.step_reached", raw: { data: { step: { id: "507f" }, plan: "free" } } }))).toBe(-1);
  });

  it("requires every key of a route that carries several", () => {
    const router = compileRouter(routes({ intent: "i", action: "a" }, { intent: "i" }));
    expect(router.match(turn({ intent: "i", action: "a" }))).toBe(0);
    expect(router.match(turn({ intent: "i", action: "b" }))).toBe(1);
  });

  it("does not confuse inherited names with route values", () => {
    const router = compileRouter(routes({ intent: "x" }));
    expect(router.match(turn({ intent: "constructor" }))).toBe(-1);
    expect(router.match(turn({ intent: "__proto__" }))).toBe(-1);
  });

  it("throws at compile time on a bad filter", () => {
    expect(() => compileRouter(routes({ intent: "i", when: [{ key: "t", matches: "(" }] }))).toThrow(/regular expression/);
  });

  describe("1,000 routes", () => {
    const many: RouteInput[] = [];
    for (let i = 0; i < 250; i++) {
      many.push({ intent: `intent.${i}`, when: [{ key: "probe", exists: true }] });
      many.push({ action: `action.${i}`, when: [{ key: "probe", exists: true }] });
      many.push({ event: `event.${i}`, when: [{ key: "probe", exists: true }] });
      many.push({ tag: `tag.${i}`, when: [{ key: "probe", exists: true }] });
    }
    const router = compileRouter(routes(...many));

    function probe(): { raw: object; calls: () => number } {
      let calls = 0;
      return {
        raw: {
          get probe() {
            calls++;
            return 1;
          },
        },
        calls: () => calls,
      };
    }

    it("picks the right one", () => {
      expect(router.match(turn({ intent: "intent.0", raw: { probe: 1 } }))).toBe(0);
      expect(router.match(turn({ intent: "intent.249", raw: { probe: 1 } }))).toBe(996);
      expect(router.match(turn({ tag: "tag.249", raw: { probe: 1 } }))).toBe(999);
      expect(router.match(turn({ event: "event.100", raw: { probe: 1 } }))).toBe(402);
      expect(router.match(turn({ event: "event.100", action: "action.50", raw: { probe: 1 } }))).toBe(201);
      expect(router.match(turn({ event: "event.100" }))).toBe(-1);
      expect(router.match(turn({ intent: "intent.250", raw: { probe: 1 } }))).toBe(-1);
    });

    it("evaluates only the candidate route's filters (no linear scan)", () => {
      const p = probe();
      expect(router.match(turn({ tag: "tag.249", raw: p.raw }))).toBe(999);
      expect(p.calls()).toBe(1);
    });
  });
});
