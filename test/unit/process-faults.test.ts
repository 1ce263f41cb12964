/**
 * The fault policy of src/server/process-faults.ts on its own emitter: rejections and
 * exceptions inside a handler's scope are logged and counted; an exception outside any
 * handler drains and exits 1.
 */
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { handlerScope } from "../../src/handlers/handler-scope.js";
import type { FaultKind } from "../../src/metrics/metrics.js";
import { installFaultHandlers } from "../../src/server/process-faults.js";

function setup() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const counted: FaultKind[] = [];
  const exits: number[] = [];
  const target = new EventEmitter();
  const remove = installFaultHandlers({ logger, count: (kind) => counted.push(kind), shutdown: (code) => exits.push(code), target });
  return { lines, counted, exits, target, remove };
}

describe("installFaultHandlers", () => {
  it("a rejection from a handler's scope is logged with its request, counted, and nothing exits", async () => {
    const { lines, counted, exits, target } = setup();
    handlerScope.run({ reqId: "req-7", webhook: "/w", route: "intent=x" }, () => target.emit("unhandledRejection", new Error("late")));
    await new Promise((r) => setImmediate(r));
    expect(counted).toEqual(["unhandled_rejection"]);
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 50, reqId: "req-7", route: "intent=x", err: { message: "late" } });
  });

  it("an exception inside a handler's scope keeps serving; outside one it drains and exits 1", async () => {
    const { lines, counted, exits, target, remove } = setup();
    handlerScope.run({ webhook: "/w" }, () => target.emit("uncaughtException", new Error("from a timer")));
    expect(exits).toEqual([]);
    target.emit("uncaughtException", new Error("ours"));
    await new Promise((r) => setImmediate(r));
    expect(counted).toEqual(["uncaught_exception", "uncaught_exception"]);
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatchObject({ level: 60, err: { message: "ours" } });
    remove();
    expect(target.listenerCount("uncaughtException")).toBe(0);
  });
});
