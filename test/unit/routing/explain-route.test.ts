import { describe, expect, it } from "vitest";
import type { RouteConfig } from "../../../src/config/types.js";
import { explainRoutes, formatVerdicts } from "../../../src/routing/explain-route.js";

const target = { kind: "reply", reply: {}, at: { path: "" } } as const;
const route = (r: Partial<RouteConfig>): RouteConfig => ({ target, at: { path: "" }, ...r }) as RouteConfig;

describe("explainRoutes", () => {
  const turn = { event: "conversation.step_reached", raw: { data: { step: { id: "abc" }, plan: "pro", tags: ["x"] } } };

  it("says, per route in file order, which matched, which answers and why the others did not", () => {
    const lines = formatVerdicts(
      explainRoutes(
        [
          route({ event: "conversation.step_reached", when: [{ key: "data.step.id", equals: "507f" }] }),
          route({ event: "other" }),
          route({ when: [{ key: "data.user", exists: true }] }),
          route({ when: [{ key: "data.plan", exists: false }] }),
          route({ when: [{ key: "data.plan", matches: "^free" }] }),
          route({ when: [{ not: { key: "data.plan", in: ["pro"] } }] }),
          route({ event: "conversation.step_reached", when: [{ key: "data.plan", in: ["pro", "team"] }] }),
          route({}),
        ],
        turn,
      ),
    );
    expect(lines).toEqual([
      '✗ event=conversation.step_reached when data.step.id=507f  data.step.id: equals "507f" but was "abc"',
      '✗ event=other  event: wants "other" but was "conversation.step_reached"',
      "✗ when data.user exists  data.user: must exist but is absent",
      '✗ when data.plan absent  data.plan: must be absent but was "pro"',
      '✗ when data.plan ~ /^free/  data.plan: matches /^free/ but was "pro"',
      "✗ when not(data.plan in [pro])  not(data.plan in [pro]) does not hold",
      "✓ event=conversation.step_reached when data.plan in [pro, team]  (answers)",
      "✓ (any)  (matches, but an earlier route answers)",
    ]);
  });
});
