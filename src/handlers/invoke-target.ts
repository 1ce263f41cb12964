/**
 * @module Runs a route's target (a static reply or a handler) under a deadline.
 * Static replies run synchronously; handlers get an AbortSignal that fires at the deadline.
 */
import type { HandlerLogger, Reply, Turn } from "../types.js";
import type { Handler } from "../types.js";
import { handlerScope, type HandlerScope } from "./handler-scope.js";

/** A route's or fallback's target, compiled once per runtime. */
export type CompiledTarget =
  | { kind: "reply"; render: (turn: Turn) => Reply; label: string }
  | { kind: "handler"; handler: Handler; label: string };

export type Outcome =
  | { ok: true; reply: Reply | null }
  | { ok: false; reason: "timeout" }
  | { ok: false; reason: "error"; error: unknown };

class DeadlineExceeded extends Error {}

/** A static reply, rendered for this turn; a template that throws is an error outcome. */
export function renderReply(target: Extract<CompiledTarget, { kind: "reply" }>, turn: Turn): Outcome {
  try {
    return { ok: true, reply: target.render(turn) };
  } catch (error) {
    return { ok: false, reason: "error", error };
  }
}

export function runTarget(
  target: CompiledTarget,
  turn: Turn,
  timeoutMs: number,
  makeLog: () => HandlerLogger,
  /** Told, at the deadline, of the handler's promise that has not settled yet. */
  onLate?: (pending: PromiseLike<unknown>) => void,
  /** The request the call belongs to, for faults its callbacks raise later. */
  scope?: HandlerScope,
): Outcome | Promise<Outcome> {
  if (target.kind === "reply") return renderReply(target, turn);
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  let result: unknown;
  try {
    let log: HandlerLogger | undefined;
    // The request-scoped logger is built only if the handler reads it (pino children cost).
    const context = {
      signal: controller.signal,
      deadline,
      get log(): HandlerLogger {
        return (log ??= makeLog());
      },
    };
    result = scope === undefined ? target.handler(turn, context) : handlerScope.run(scope, target.handler, turn, context);
  } catch (error) {
    return { ok: false, reason: "error", error };
  }
  if (!isPromiseLike(result)) return toOutcome(result);
  return new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => {
      controller.abort(new DeadlineExceeded(`deadline of ${timeoutMs} ms passed`));
      onLate?.(result);
      resolve({ ok: false, reason: "timeout" });
    }, timeoutMs);
    result.then(
      (value) => {
        clearTimeout(timer);
        resolve(toOutcome(value));
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: "error", error });
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** A handler may return a Reply, a plain string (shorthand for `{ text }`), or nothing. */
function toOutcome(value: unknown): Outcome {
  if (value === undefined || value === null) return { ok: true, reply: null };
  if (typeof value === "string") return { ok: true, reply: { text: value } };
  if (typeof value === "object" && !Array.isArray(value)) return { ok: true, reply: value as Reply };
  return { ok: false, reason: "error", error: new TypeError(`handler returned ${Array.isArray(value) ? "an array" : typeof value}, expected a reply object`) };
}
