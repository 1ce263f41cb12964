/**
 * @module Retiring a runtime: once every request it was answering has been answered, run each
 * handler module's `dispose` export (close a database pool, stop a timer), so a reload or a
 * shutdown does not leave behind what a module opened at import. A dispose that throws or
 * hangs is logged and never stops the server.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import type { Disposer, Runtime } from "./runtime.js";

/** How long one `dispose` may take before it is given up (logged). */
const DISPOSE_TIMEOUT_MS = 5_000;
/** How long a retired runtime may keep answering before its modules are disposed anyway. */
const DRAIN_WAIT_MS = 60_000;
const TIMED_OUT = Symbol("timed out");

export async function retireRuntime(runtime: Runtime, logger: Logger): Promise<void> {
  if (runtime.disposers.length === 0) return;
  const giveUpAt = Date.now() + DRAIN_WAIT_MS;
  while (runtime.active.requests > 0 && Date.now() < giveUpAt) await delay(20, undefined, { ref: false });
  await runDisposers(runtime.disposers, logger);
}

export async function runDisposers(disposers: readonly Disposer[], logger: Logger, timeoutMs = DISPOSE_TIMEOUT_MS): Promise<void> {
  await Promise.all(
    disposers.map(async ({ spec, dispose }) => {
      const cancel = new AbortController();
      const timedOut = delay(timeoutMs, TIMED_OUT, { signal: cancel.signal, ref: false });
      timedOut.catch(() => undefined); // aborted once dispose settles
      try {
        const outcome = await Promise.race([Promise.resolve().then(dispose), timedOut]);
        if (outcome === TIMED_OUT) logger.warn({ module: spec }, `${spec}: dispose() did not finish within ${timeoutMs / 1000} s`);
        else logger.debug({ module: spec }, `${spec}: disposed`);
      } catch (error) {
        logger.error({ module: spec }, `${spec}: dispose() failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        cancel.abort();
      }
    }),
  );
}
