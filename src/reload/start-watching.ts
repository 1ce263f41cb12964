/**
 * @module `--watch`: watch the config, every handler and the local modules they import, and
 * reload (create-reloader.ts: build beside, swap only on success) when any of them changes.
 */
import type { Pipeline } from "../core/handle.js";
import { removeBundles } from "../handlers/bundle-handlers.js";
import { createReloader, type ReloadOutcome, type Reloader, type ReloaderOptions } from "./create-reloader.js";
import { FileWatcher, type WatchDir } from "./watch-files.js";

/** The reloader's options (used when no `reloader` is given) plus the watcher's. */
interface WatchOptions extends ReloaderOptions {
  /** Poll instead of native events. @default env WEBHOOK_SERVE_WATCH_POLL=1 */
  poll?: boolean;
  debounceMs?: number;
  /** For tests. */
  watchDir?: WatchDir;
  /** Share a reloader (SIGHUP uses the same one, so reloads never overlap). */
  reloader?: Reloader;
}

interface Watching {
  /** Reload now, as if a file changed. */
  reload(changed?: string[]): Promise<ReloadOutcome>;
  readonly watcher: FileWatcher;
  close(): Promise<void>;
}

export async function startWatching(pipeline: Pipeline, options: WatchOptions): Promise<Watching> {
  const { logger } = options;
  // The first runtime was bundled like every reload: its files include the handlers' local imports.
  const files = [...pipeline.runtime.files];

  const poll = options.poll ?? options.env.WEBHOOK_SERVE_WATCH_POLL === "1";
  const reloader =
    options.reloader ??
    createReloader(pipeline, {
      configFile: options.configFile,
      logger,
      env: options.env,
      checkReplies: options.checkReplies ?? true,
      ...(options.onReload ? { onReload: options.onReload } : {}),
    });
  const watcher = new FileWatcher(files, {
    poll,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.watchDir ? { watchDir: options.watchDir } : {}),
    onChange: (changed) => void reloader.reload(changed),
    onPolling: (reason) => logger.warn(reason),
  });
  // After a failed reload keep watching what we had too, so fixing any file reloads again.
  reloader.onFiles = (next, ok) => watcher.setFiles([...new Set([...next, ...(ok ? [] : watcher.files)])]);
  logger.info(
    { files: watcher.files.length, mode: watcher.mode },
    poll ? `watching ${watcher.files.length} files (polling every 300 ms: WEBHOOK_SERVE_WATCH_POLL=1)` : `watching ${watcher.files.length} files`,
  );

  return {
    reload: (changed) => reloader.reload(changed),
    watcher,
    async close() {
      watcher.close();
      await reloader.idle();
      await removeBundles();
    },
  };
}
