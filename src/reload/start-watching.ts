/**
 * @module `--watch`: watch the config, every handler and the local modules they import;
 * on a change rebuild the whole runtime beside the running one and swap it in only when
 * everything loaded. On any problem log each one (`path: message (line L:C)`) and keep
 * serving the last good runtime. Reloads never overlap; a change during a reload queues one more.
 */
import type { Logger } from "pino";
import { formatIssue, type ConfigIssue } from "../errors.js";
import type { App } from "../server/create-app.js";
import { bundleHandlers, removeBundles } from "./bundle-handlers.js";
import { handlerRefs, rebuildRuntime } from "./rebuild-runtime.js";
import { FileWatcher, type WatchDir } from "./watch-files.js";

/** What one reload did; handed to `onReload` (e.g. a metrics counter). */
export interface ReloadOutcome {
  ok: boolean;
  /** Change noticed → new runtime swapped in (or failure known). */
  ms: number;
  issues: readonly ConfigIssue[];
  /** Files that triggered it. */
  changed: readonly string[];
}

export interface WatchOptions {
  configFile: string;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** Check replies against the platform's response schema. @default true */
  checkReplies?: boolean;
  /** Observer for every finished reload (metrics hook). */
  onReload?: (outcome: ReloadOutcome) => void;
  /** Poll instead of native events. @default env WEBHOOK_SERVE_WATCH_POLL=1 */
  poll?: boolean;
  debounceMs?: number;
  /** For tests. */
  watchDir?: WatchDir;
}

export interface Watching {
  /** Reload now, as if a file changed. */
  reload(changed?: string[]): Promise<ReloadOutcome>;
  readonly watcher: FileWatcher;
  close(): Promise<void>;
}

export async function startWatching(app: App, options: WatchOptions): Promise<Watching> {
  const { logger } = options;
  const initial = app.holder.current;
  // The first runtime was loaded without a bundle; compile once (nothing is imported) to learn the local imports.
  const probe = await bundleHandlers(handlerRefs(initial.config).map((ref) => ref.file));
  const files = probe.ok ? [initial.config.file, ...probe.inputs] : [...initial.files];
  if (probe.ok) await probe.dispose();

  const poll = options.poll ?? options.env.WEBHOOK_SERVE_WATCH_POLL === "1";
  let running: Promise<ReloadOutcome> | undefined;
  let queued: string[] | undefined;

  const reload = async (changed: string[] = []): Promise<ReloadOutcome> => {
    const started = performance.now();
    const result = await rebuildRuntime(options.configFile, { env: options.env, checkReplies: options.checkReplies ?? true });
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (result.files.length > 0) watcher.setFiles([...new Set([...result.files, ...(result.ok ? [] : watcher.files)])]);
    const outcome: ReloadOutcome = { ok: result.ok, ms, issues: result.ok ? [] : result.issues, changed };
    if (result.ok) {
      const before = app.holder.current.config.server;
      const after = result.config.server;
      app.swap(result.runtime);
      logger.info({ ms, changed }, `reloaded in ${ms} ms`);
      if (before.host !== after.host || before.port !== after.port) {
        logger.warn({ host: after.host, port: after.port }, "server.host/port changed: restart required (still listening on the old address)");
      }
    } else {
      const n = result.issues.length;
      logger.error({ changed }, `reload failed, ${n} problem${n === 1 ? "" : "s"} in ${options.configFile}; still serving the last good version`);
      for (const issue of result.issues) logger.error(`  ${formatIssue(issue)}`);
    }
    options.onReload?.(outcome);
    return outcome;
  };

  const schedule = (changed: string[]): Promise<ReloadOutcome> => {
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

  const watcher = new FileWatcher(files, {
    poll,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.watchDir ? { watchDir: options.watchDir } : {}),
    onChange: (changed) => void schedule(changed),
    onPolling: (reason) => logger.warn(reason),
  });
  logger.info(
    { files: watcher.files.length, mode: watcher.mode },
    poll ? `watching ${watcher.files.length} files (polling every 300 ms: WEBHOOK_SERVE_WATCH_POLL=1)` : `watching ${watcher.files.length} files`,
  );

  return {
    reload: schedule,
    watcher,
    async close() {
      watcher.close();
      await running;
      await removeBundles();
    },
  };
}
