/**
 * @module One way to reload, whatever asks for it (a saved file under `--watch`, SIGHUP, the
 * `--workers` primary's message): rebuild the whole runtime beside the running one
 * (config, then every handler compiled afresh, see rebuild-runtime.ts) and swap it in only
 * when everything loaded. On any problem log each one (`path: message (line L:C)`) and keep
 * serving the last good runtime. Reloads never overlap; requests during a reload queue one more.
 */
import type { Logger } from "pino";
import { formatIssue, type ConfigIssue } from "../errors.js";
import type { Config } from "../config/types.js";
import type { Pipeline } from "../core/handle.js";
import { retireRuntime, runDisposers } from "../runtime/retire-runtime.js";
import { rebuildRuntime, type RebuildResult } from "../runtime/rebuild-runtime.js";

/** What one reload did; handed to `onReload` (e.g. a metrics counter). */
export interface ReloadOutcome {
  ok: boolean;
  /** Reload started → new runtime swapped in (or failure known). */
  ms: number;
  issues: readonly ConfigIssue[];
  /** What triggered it: changed files, or a signal name. */
  changed: readonly string[];
}

export interface ReloaderOptions {
  configFile: string;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** Check replies against the platform's response schema. @default true */
  checkReplies?: boolean;
  /** Observer for every finished reload (metrics hook). */
  onReload?: (outcome: ReloadOutcome) => void;
}

export interface Reloader {
  /** Reload now (or right after the one running). */
  reload(changed?: string[]): Promise<ReloadOutcome>;
  /** Told the files each reload depended on (on failure, what could be learnt): `--watch` follows them. */
  onFiles: ((files: readonly string[], ok: boolean) => void) | undefined;
  /** Settles when no reload is running. */
  idle(): Promise<void>;
}

const hasSockets = (config: Config): boolean => config.webhooks.some((webhook) => webhook.transport === "websocket");

export function createReloader(pipeline: Pipeline, options: ReloaderOptions): Reloader {
  const { logger } = options;
  let running: Promise<ReloadOutcome> | undefined;
  let queued: string[] | undefined;
  // Bundle folders of the serving generation and the one before it (see rebuild-runtime.ts).
  let current: (() => Promise<void>) | undefined;
  let retired: (() => Promise<void>) | undefined;

  const reload = async (changed: string[]): Promise<ReloadOutcome> => {
    const started = performance.now();
    let result: RebuildResult;
    try {
      result = await rebuildRuntime(options.configFile, { env: options.env, checkReplies: options.checkReplies ?? true, previous: pipeline.runtime });
    } catch (error) {
      // Not a config problem (no disk space, esbuild missing): still a failed reload, never a crash.
      result = { ok: false, issues: [{ path: "", message: `reload failed: ${error instanceof Error ? error.message : String(error)}` }], files: [] };
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (!result.ok && result.disposers !== undefined) void runDisposers(result.disposers, logger);
    if (result.files.length > 0) reloader.onFiles?.(result.files, result.ok);
    const outcome: ReloadOutcome = { ok: result.ok, ms, issues: result.ok ? [] : result.issues, changed };
    if (result.ok) {
      const retiring = pipeline.runtime;
      const before = retiring.config.server;
      const after = result.config.server;
      pipeline.swap(result.runtime);
      // Its requests finish on it; then its modules' `dispose` exports run.
      void retireRuntime(retiring, logger);
      // Delete the bundle retired two reloads ago (its requests have had a whole reload's time to finish).
      const older = retired;
      retired = current;
      current = result.dispose;
      void older?.();
      logger.info({ ms, changed }, `reloaded in ${ms} ms`);
      // Routes, handlers, auth and timeouts are the runtime's; the server section is the process's.
      const settings = Object.keys({ ...before, ...after }).filter(
        (key) => key !== "timeout" && JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(after[key as keyof typeof after]),
      );
      if (settings.length > 0) {
        const names = settings.map((key) => `server.${key}`).join(", ");
        logger.warn({ settings: names }, `${names} changed: restart required (still using the old values)`);
      }
      // The WebSocket carrier is set up at start, for a config that has a websocket webhook.
      if (!hasSockets(retiring.config) && hasSockets(result.config)) logger.warn("transport: websocket added: restart required to accept WebSocket upgrades (POSTs are served)");
    } else if (queued !== undefined) {
      // The files changed again while this one ran (often: an editor's save caught half-written);
      // the queued reload reports on what they hold now.
      logger.debug({ changed }, "reload failed, files changed meanwhile: reloading again");
      return outcome;
    } else {
      const n = result.issues.length;
      logger.error({ changed }, `reload failed, ${n} problem${n === 1 ? "" : "s"} in ${options.configFile}; still serving the last good version`);
      for (const issue of result.issues) logger.error(`  ${formatIssue(issue)}`);
    }
    options.onReload?.(outcome);
    return outcome;
  };

  const schedule = (changed: string[] = []): Promise<ReloadOutcome> => {
    if (running) {
      queued = [...(queued ?? []), ...changed];
      return running;
    }
    running = reload(changed).finally(() => {
      running = undefined;
      const next = queued;
      queued = undefined;
      if (next) void schedule(next);
    });
    return running;
  };
  const reloader: Reloader = {
    reload: schedule,
    onFiles: undefined,
    async idle() {
      while (running) await running;
    },
  };
  return reloader;
}
