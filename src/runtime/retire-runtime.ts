/**
 * @module Retiring a runtime: once every request it was answering has been answered, run each
 * handler module's `dispose` export (close a database pool, stop a timer), so a reload or a
 * shutdown does not leave behind what a module opened at import. A dispose that throws or
 * hangs is logged and never stops the server.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { TIMED_OUT, settleWithin } from "../handlers/settle-within.js";
import type { Disposer, Runtime } from "./runtime.js";

/** How long one `dispose` may take before it is given up (logged). */
const DISPOSE_TIMEOUT_MS = 5_000;
/** How long a retired runtime may keep answering before its modules are disposed anyway. */
const DRAIN_WAIT_MS = 60_000;

export async function retireRuntime(runtime: Runtime, logger: Logger): Promise<void> {
  if (runtime.disposers.length === 0) return;
  const giveUpAt = Date.now() + DRAIN_WAIT_MS;
  while (runtime.active.requests > 0 && Date.now() < giveUpAt) await delay(20, undefined, { ref: false });
  await runDisposers(runtime.disposers, logger);
}

export async function runDisposers(disposers: readonly Disposer[], logger: Logger, timeoutMs = DISPOSE_TIMEOUT_MS): Promise<void> {
  await Promise.all(
    disposers.map(async ({ spec, dispose }) => {
      try {
        const outcome = await settleWithin(Promise.resolve().then(dispose), timeoutMs);
        if (outcome === TIMED_OUT) logger.warn({ module: spec }, `${spec}: dispose() did not finish within ${timeoutMs / 1000} s`);
        else logger.debug({ module: spec }, `${spec}: disposed`);
      } catch (error) {
        logger.error({ module: spec }, `${spec}: dispose() failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
