/**
 * The public types say what the runtime does: `tsc --noEmit` (in `npm test`) fails when a
 * `@ts-expect-error` below stops being an error or a valid line stops compiling; the
 * assertions check that the runtime agrees.
 */
import { describe, expect, it } from "vitest";
import type { Handler, HandlerContext, Reply, Turn } from "../../src/index.js";
import { runTarget } from "../../src/handlers/invoke-target.js";

const context = { signal: new AbortController().signal, deadline: Date.now() + 1000, log: console } as unknown as HandlerContext;
const turn: Turn = { platform: "generic", params: { city: "Paris" }, session: { values: {} }, contexts: [], raw: {}, headers: {} };

describe("public types", () => {
  it("a handler may return a plain string, and the runtime reads it as { text }", async () => {
    const handler: Handler = () => "Hello";
    const outcome = await runTarget({ kind: "handler", handler, label: "h" }, turn, 1000, () => context.log);
    expect(outcome).toEqual({ ok: true, reply: { text: "Hello" } });
  });

  it("Handler<Params> types turn.params", () => {
    const handler: Handler<{ city: string }> = (t) => ({ text: t.params.city.toUpperCase() });
    // @ts-expect-error -- `size` is not one of the declared params
    const wrong: Handler<{ city: string }> = (t) => ({ text: t.params.size });
    expect(handler({ ...turn, params: { city: "Paris" } }, context)).toEqual({ text: "PARIS" });
    expect(typeof wrong).toBe("function");
  });

  it("ElicitSlot needs slotToElicit; other dialog actions do not", () => {
    const ok: Reply = { dialogAction: { type: "ElicitSlot", slotToElicit: "city" } };
    const close: Reply = { dialogAction: { type: "Close" } };
    // @ts-expect-error -- ElicitSlot without the slot to ask for
    const missing: Reply = { dialogAction: { type: "ElicitSlot" } };
    expect([ok, close, missing].map((r) => r.dialogAction?.type)).toEqual(["ElicitSlot", "Close", "ElicitSlot"]);
  });
});
