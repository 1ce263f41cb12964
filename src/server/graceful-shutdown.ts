/**
 * @module SIGTERM/SIGINT: `/readyz` turns 503, the listener stops accepting, requests in
 * flight finish, then the process exits 0. Past `shutdownTimeout` it exits 1 regardless.
 */
import type { Logger } from "pino";
import type { HttpServer } from "./http-server.js";

interface ShutdownOptions {
  /** ms before giving up on in-flight requests. */
  timeout: number;
  /** Runs after the server closed (stop watchers, close stores). */
  onClosed?: () => Promise<void> | void;
  exit?: (code: number) => void;
}

/** Returns `shutdown(code)`: drain as on SIGTERM, then exit with `code` (1 past the timeout). */
export function installShutdown(app: HttpServer, logger: Logger, options: ShutdownOptions): (code?: number) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing: Promise<void> | undefined;
  const shutdown = (signal: string, code = 0): Promise<void> => {
    if (closing) return closing;
    app.pipeline.state.draining = true;
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
    closing = (async () => {
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
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return (code = 0) => shutdown("manual", code);
}
