/**
 * @module What the process does with faults no handler caught (the policy in SECURITY.md):
 * - an unhandled promise rejection is logged at error (with the request id and route when it
 *   came from a handler call), counted, and the server keeps serving: a forgotten `.catch`
 *   must not take down every other conversation;
 * - an uncaught exception thrown from a handler's callback (a timer, an emitter) is logged and
 *   counted the same way, and the server keeps serving: it unwound only handler code;
 * - an uncaught exception from anywhere else (our code, a library outside any handler call)
 *   means the process state cannot be trusted: logged at fatal, then the server drains the
 *   requests in flight and exits 1 for the supervisor to restart it.
 */
import type { Logger } from "pino";
import { handlerScope } from "../handlers/handler-scope.js";
import type { FaultKind } from "../metrics/metrics.js";

interface FaultOptions {
  logger: Logger;
  /** Counts the fault (metrics). */
  count(kind: FaultKind): void;
  /** Drain and exit with this code. */
  shutdown(code: number): void;
  /** @default process */
  target?: NodeJS.EventEmitter;
}

/** Installs the process listeners; returns a function that removes them. */
export function installFaultHandlers(options: FaultOptions): () => void {
  const { logger } = options;
  const onRejection = (reason: unknown) => {
    const scope = handlerScope.getStore();
    options.count("unhandled_rejection");
    logger.error({ ...scope, err: reason }, scope ? "a handler left a promise rejection unhandled; still serving" : "unhandled promise rejection; still serving");
  };
  const onException = (error: Error) => {
    const scope = handlerScope.getStore();
    options.count("uncaught_exception");
    if (scope) {
      logger.error({ ...scope, err: error }, "a handler's callback threw; still serving");
      return;
    }
    logger.fatal({ err: error }, "uncaught exception outside any handler: process state cannot be trusted; draining, then exiting 1");
    options.shutdown(1);
  };
  const target = options.target ?? process;
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return () => {
    target.off("unhandledRejection", onRejection);
    target.off("uncaughtException", onException);
  };
}
