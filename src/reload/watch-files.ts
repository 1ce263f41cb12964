/**
 * @module Watches a set of files and reports changes, debounced. Native events come from
 * `fs.watch` on the files' FOLDERS (not the files): editors that save by writing a temp
 * file and renaming it over the original replace the inode, which a per-file watcher loses.
 * Docker bind mounts (and some network file systems) deliver no native events for writes
 * made on the host; a slow stat check (1 s) notices a change that no native event reported
 * and switches to polling (`fs.watchFile`, 300 ms), as does `WEBHOOK_SERVE_WATCH_POLL=1` or
 * an `fs.watch` failure. (listhen's watcher degrades the same way, and says so.)
 */
import { existsSync, statSync, watch, watchFile, unwatchFile, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";

interface DirWatcher {
  close(): void;
}
/** `fs.watch` on a folder; injectable so tests can simulate a mount without events. */
export type WatchDir = (dir: string, onEvent: (filename: string | null) => void, onError: (error: Error) => void) => DirWatcher;

interface FileWatcherOptions {
  /** Called once per burst with the changed files. */
  onChange: (files: string[]) => void;
  /** Told once when the watcher falls back to polling, with why. */
  onPolling?: (reason: string) => void;
  /** Quiet time that ends a burst. @default 75 */
  debounceMs?: number;
  /** Poll interval after the fallback. @default 300 */
  pollMs?: number;
  /** Interval of the stat check that detects missing native events. @default 1000 */
  sentinelMs?: number;
  /** Poll from the start. @default false */
  poll?: boolean;
  watchDir?: WatchDir;
}

const nativeWatchDir: WatchDir = (dir, onEvent, onError) => {
  const watcher = watch(dir, { persistent: false }, (_event, filename) => onEvent(filename === null ? null : String(filename)));
  watcher.on("error", onError);
  return watcher;
};

export class FileWatcher {
  #files = new Set<string>();
  #dirs = new Map<string, DirWatcher>();
  #statListeners = new Map<string, (curr: Stats, prev: Stats) => void>();
  /** When each file's last change was reported. */
  #reported = new Map<string, number>();
  #lastNative = new Map<string, number>();
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #polling: boolean;
  #closed = false;
  readonly #options: Required<Omit<FileWatcherOptions, "onPolling">> & Pick<FileWatcherOptions, "onPolling">;

  constructor(files: Iterable<string>, options: FileWatcherOptions) {
    this.#options = { debounceMs: 75, pollMs: 300, sentinelMs: 1000, poll: false, watchDir: nativeWatchDir, ...options };
    this.#polling = this.#options.poll;
    this.setFiles(files);
  }

  /** "native" or "polling". */
  get mode(): "native" | "polling" {
    return this.#polling ? "polling" : "native";
  }

  get files(): readonly string[] {
    return [...this.#files];
  }

  /** Replace the watched set (a reload may add or drop handler files and imports). */
  setFiles(files: Iterable<string>): void {
    if (this.#closed) return;
    const next = new Set([...files].map((file) => resolve(file)));
    for (const file of this.#files) if (!next.has(file)) this.#unstat(file);
    this.#files = next;
    if (!this.#polling) this.#syncDirs();
    for (const file of next) if (!this.#statListeners.has(file)) this.#stat(file);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#dirs.values()) watcher.close();
    this.#dirs.clear();
    for (const file of [...this.#statListeners.keys()]) this.#unstat(file);
  }

  #syncDirs(): void {
    const wanted = new Set([...this.#files].map((file) => dirname(file)));
    for (const [dir, watcher] of this.#dirs) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.#dirs.delete(dir);
      }
    }
    for (const dir of wanted) {
      // A missing folder (a handler not written yet) is left to the stat sentinel.
      if (this.#dirs.has(dir) || !existsSync(dir)) continue;
      try {
        this.#dirs.set(
          dir,
          this.#options.watchDir(dir, (name) => this.#native(dir, name), (error) => this.#fallBack(`file events failed (${error.message})`)),
        );
      } catch (error) {
        this.#fallBack(`file events unavailable (${(error as Error).message})`);
        return;
      }
    }
  }

  #native(dir: string, name: string | null): void {
    if (this.#polling || this.#closed) return;
    // No name (some platforms): any watched file in the folder may have changed.
    const hits = name === null ? [...this.#files].filter((file) => dirname(file) === dir) : [join(dir, name)].filter((file) => this.#files.has(file));
    const now = Date.now();
    for (const file of hits) {
      this.#lastNative.set(file, now);
      this.#changed(file);
    }
  }

  /** Polling mode: the real watcher. Native mode: a slow sentinel that catches missing events. */
  #stat(file: string): void {
    const listener = (curr: Stats, prev: Stats) => {
      if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
      if (this.#polling) return this.#changed(file);
      if (!this.#dirs.has(dirname(file))) {
        // Its folder did not exist when we looked (a handler not written yet): nothing native
        // could have reported it. A change, not a sign that native events fail; watch the folder now.
        this.#syncDirs();
        return this.#changed(file);
      }
      // Give a native event that is on its way a moment to arrive before judging.
      setTimeout(() => {
        if (this.#polling || this.#closed) return;
        const seen = this.#lastNative.get(file) ?? 0;
        if (Date.now() - seen > this.#options.sentinelMs + 500) {
          this.#fallBack("native file events unavailable");
          this.#changed(file);
        }
      }, 150).unref();
    };
    this.#statListeners.set(file, listener);
    const interval = this.#polling ? this.#options.pollMs : this.#options.sentinelMs;
    // watchFile takes its first stat later, on the thread pool: a change made before then is in
    // that stat and never reported. Compare with a stat taken now, once, after its first look.
    const before = statOrUndefined(file);
    const since = Date.now();
    watchFile(file, { persistent: false, interval }, listener);
    setTimeout(() => {
      if (this.#statListeners.get(file) !== listener || this.#closed) return;
      // Already reported (a native event or watchFile saw it): not twice.
      if ((this.#reported.get(file) ?? 0) >= since) return;
      const now = statOrUndefined(file);
      if (now?.mtimeMs !== before?.mtimeMs || now?.size !== before?.size) this.#changed(file);
    }, interval).unref();
  }

  #unstat(file: string): void {
    const listener = this.#statListeners.get(file);
    if (listener) unwatchFile(file, listener);
    this.#statListeners.delete(file);
  }

  #fallBack(reason: string): void {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    for (const watcher of this.#dirs.values()) watcher.close();
    this.#dirs.clear();
    // Restart every stat watcher at the polling interval.
    for (const file of [...this.#statListeners.keys()]) this.#unstat(file);
    for (const file of this.#files) this.#stat(file);
    this.#options.onPolling?.(`${reason}; polling every ${this.#options.pollMs} ms`);
  }

  #changed(file: string): void {
    this.#reported.set(file, Date.now());
    this.#pending.add(file);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = [...this.#pending];
      this.#pending.clear();
      if (!this.#closed) this.#options.onChange(files);
    }, this.#options.debounceMs);
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
