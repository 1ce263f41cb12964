import { describe, expect, it } from "vitest";
import type { Target } from "../../../src/config/types.js";
import { describeFilter, describeMatch, describeTarget } from "../../../src/routing/describe-route.js";

const at = { path: "webhooks[0].routes[0]" };

describe("describeMatch", () => {
  it("names the key", () => {
    expect(describeMatch({ intent: "greetings" })).toBe("intent=greetings");
    expect(describeMatch({ action: "weather.lookup" })).toBe("action=weather.lookup");
    expect(describeMatch({ tag: "check-balance" })).toBe("tag=check-balance");
  });

  it("appends when filters", () => {
    expect(
      describeMatch({
        event: "conversation.step_reached",
        when: [
          { key: "data.step.id", equals: "507f191e810c19729de860ea-and-more" },
          { key: "data.plan", in: ["pro", "team"] },
          { key: "data.user.id", exists: true },
        ],
      }),
    ).toBe("event=conversation.step_reached when data.step.id=507f191e810c19729de860e…, data.plan in [pro, team], data.user.id exists");
  });

  it("says (any) for a route without key or filters, and when-only routes start with when", () => {
    expect(describeMatch({})).toBe("(any)");
    expect(describeMatch({ when: [] })).toBe("(any)");
    expect(describeMatch({ when: [{ key: "a", equals: 1 }] })).toBe("when a=1");
  });
});

describe("describeFilter", () => {
  it("describes every kind", () => {
    expect(describeFilter({ key: "a", equals: true })).toBe("a=true");
    expect(describeFilter({ key: "a", equals: { x: 1 } })).toBe('a={"x":1}');
    expect(describeFilter({ key: "a", exists: false })).toBe("a absent");
    expect(describeFilter({ key: "t", matches: "^(hi|hello)" })).toBe("t ~ /^(hi|hello)/");
    expect(describeFilter({ any: [{ key: "a", equals: 1 }, { not: { key: "b", in: [1, "x"] } }] })).toBe("any(a=1, not(b in [1, x]))");
  });
});

describe("describeTarget", () => {
  it("shows a handler as path#export", () => {
    const handler = (spec: string, exportName: string): Target => ({
      kind: "handler",
      handler: { file: "/abs/handlers/x.ts", exportName, spec, at },
      at,
    });
    expect(describeTarget(handler("./handlers/weather.ts", "default"))).toBe("./handlers/weather.ts#default");
    expect(describeTarget(handler("./handlers/steps.ts#onStep", "onStep"))).toBe("./handlers/steps.ts#onStep");
  });

  it("shows a reply's text, cut when long", () => {
    const reply = (r: Record<string, unknown>): Target => ({ kind: "reply", reply: r, at });
    expect(describeTarget(reply({ text: "Hi {{ params.name }}!" }))).toBe('reply "Hi {{ params.name }}!"');
    expect(describeTarget(reply({ text: "Hi {{ params.name }}! Nice to meet you again, it is a long day." }))).toBe(
      'reply "Hi {{ params.name }}! Nice to meet you…"',
    );
    expect(describeTarget(reply({ text: ["one", "two", "three"] }))).toBe('reply "one" (+2)');
    expect(describeTarget(reply({ data: {}, native: {} }))).toBe("reply {data, native}");
    expect(describeTarget(reply({}))).toBe("reply {}");
  });
});
