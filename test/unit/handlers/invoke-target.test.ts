import { describe, expect, it, vi } from "vitest";
import { runTarget, type CompiledTarget, type Outcome } from "../../../src/handlers/invoke-target.js";
import type { Handler, HandlerContext, HandlerLogger, Turn } from "../../../src/types.js";

const turn = { platform: "generic", params: {}, session: { values: {} }, contexts: [], raw: {}, headers: {} } as unknown as Turn;
const quiet: HandlerLogger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const target = (handler: Handler): CompiledTarget => ({ kind: "handler", handler, label: "h" });

describe("runTarget: a handler's context", () => {
  it("aborts the signal a handler holds when the deadline passes, and says the call is late", async () => {
    let seen: AbortSignal | undefined;
    const onLate = vi.fn();
    const outcome = await runTarget(
      target((_t, context) => {
        seen = context.signal;
        return new Promise(() => {});
      }),
      turn,
      30,
      () => quiet,
      onLate,
    );
    expect(outcome).toEqual({ ok: false, reason: "timeout" });
    expect(seen?.aborted).toBe(true);
    expect(String(seen?.reason)).toMatch(/deadline of 30 ms passed/);
    expect(onLate).toHaveBeenCalledTimes(1);
  });

  it("gives a signal first read after the deadline already aborted", async () => {
    let context: HandlerContext | undefined;
    let release: () => void = () => {};
    const late = new Promise<void>((resolve) => (release = resolve));
    const outcome = await runTarget(
      target((_t, c) => {
        context = c;
        return late.then(() => "done");
      }),
      turn,
      20,
      () => quiet,
      () => release(),
    );
    expect(outcome).toEqual({ ok: false, reason: "timeout" });
    expect(context?.signal.aborted).toBe(true);
    expect(context?.deadline).toBeLessThanOrEqual(Date.now());
  });

  it("makes the logger only when read, once, and leaves a signal unread unaborted", async () => {
    const makeLog = vi.fn(() => quiet);
    let context: HandlerContext | undefined;
    const outcome = await runTarget(
      target(async (_t, c) => {
        context = c;
        c.log.info("one");
        c.log.info("two");
        return { text: "ok" };
      }),
      turn,
      1000,
      makeLog,
    );
    expect(outcome).toEqual({ ok: true, reply: { text: "ok" } });
    expect(makeLog).toHaveBeenCalledTimes(1);
    expect(context?.signal.aborted).toBe(false);
  });
});

describe("runTarget: when it settles", () => {
  it("answers a handler that returned synchronously at once, with no promise", () => {
    expect(runTarget(target(() => "hi"), turn, 1000, () => quiet)).toEqual({ ok: true, reply: { text: "hi" } });
    expect(runTarget(target(() => [] as never), turn, 1000, () => quiet)).toMatchObject({ ok: false, reason: "error" });
  });

  it("settles once: a handler that answers after its deadline changes nothing", async () => {
    let release: (text: string) => void = () => {};
    const late = new Promise<string>((resolve) => (release = resolve));
    const pending = runTarget(target(() => late), turn, 20, () => quiet) as Promise<Outcome>;
    const outcome = await pending;
    release("too late");
    // runTarget's reaction to `late` was registered first, so it has run once this resumes.
    await late;
    expect(outcome).toEqual({ ok: false, reason: "timeout" });
    expect(await pending).toEqual({ ok: false, reason: "timeout" });
  });
});
