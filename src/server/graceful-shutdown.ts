/**
 * @module SIGTERM/SIGINT: `/readyz` turns 503 and every answer closes its connection while
 * requests are still accepted for `drainDelay` (load balancers see the 503 and stop sending),
 * then the listener stops accepting, requests in flight finish, and the process exits 0. Past
 * `shutdownTimeout` after the listener closed it exits 1 regardless.
 */
import type { Logger } from "pino";
import type { HttpServer } from "./http-server.js";

interface ShutdownOptions {
  /** ms before giving up on in-flight requests, counted from the listener's close. */
  timeout: number;
  /** ms /readyz answers 503 while the listener still accepts, on a signal. @default 0 */
  drainDelay?: number;
  /** Runs after the server closed (stop watchers, close stores). */
  onClosed?: () => Promise<void> | void;
  exit?: (code: number) => void;
}

/** Returns `shutdown(code)`: drain as on SIGTERM (without the delay: a fault), then exit with `code` (1 past the timeout). */
export function installShutdown(app: HttpServer, logger: Logger, options: ShutdownOptions): (code?: number) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const { state } = app.pipeline;
  let closing: Promise<void> | undefined;
  const shutdown = (signal: string, code = 0, delay = 0): Promise<void> => {
    if (closing) return closing;
    state.draining = true;
    closing = (async () => {
      if (delay > 0) {
        logger.info({ signal, drainDelay: delay }, "shutting down: /readyz answers 503, still accepting requests");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      state.closed = true;
      logger.info({ signal }, "shutting down: finishing in-flight requests");
      const force = setTimeout(() => {
        logger.error({ timeout: options.timeout }, "shutdown timed out; exiting with requests still open");
        logger.flush();
        exit(1);
      }, options.timeout);
      force.unref();
      // Keep-alive connections that finish their request during the drain become idle
      // after close() looked; close those as they appear so close() can resolve.
      const reaper = setInterval(() => app.fastify.server.closeIdleConnections?.(), 50);
      reaper.unref();
      // Its preClose hooks first (WebSocket sockets get their answers in flight, then 1001),
      // then the listener closes and the HTTP requests in flight finish.
      await app.fastify.close();
      clearInterval(reaper);
      await options.onClosed?.();
      clearTimeout(force);
      logger.info("stopped");
      logger.flush();
      exit(code);
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal, 0, options.drainDelay ?? 0);
  // Once: a second signal ends the process at once (Ctrl-C twice).
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return (code = 0) => shutdown("manual", code);
}
