/** FileWatcher: debounced bursts, and the fall back to polling when native events never come (bind mounts). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileWatcher } from "../../../src/reload/watch-files.js";

const dir = mkdtempSync(join(tmpdir(), "whs-watcher-"));
let watcher: FileWatcher | undefined;
afterEach(() => watcher?.close());
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each call the watcher makes, kept in order; `next()` resolves with the next one, made or to come. */
function calls<T>(): { seen: T[]; record: (value: T) => void; next: () => Promise<T> } {
  const seen: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  let read = 0;
  return {
    seen,
    record: (value) => {
      seen.push(value);
      if (waiting.length > 0 && read < seen.length) waiting.shift()?.(seen[read++] as T);
    },
    next: () => new Promise<T>((resolve) => (read < seen.length ? resolve(seen[read++] as T) : waiting.push(resolve))),
  };
}

describe("FileWatcher", () => {
  it("reports a burst of writes once, and ignores unwatched files in the same folder", async () => {
    const file = join(dir, "a.ts");
    // Written after the burst is reported: a second report of the burst would come before it or with it.
    const marker = join(dir, "a-marker.ts");
    writeFileSync(file, "1");
    writeFileSync(marker, "1");
    const changes = calls<string[]>();
    watcher = new FileWatcher([file, marker], { onChange: changes.record, debounceMs: 60 });
    writeFileSync(join(dir, "other.ts"), "x");
    for (let i = 0; i < 5; i++) writeFileSync(file, String(i));
    expect(await changes.next()).toEqual([file]);
    writeFileSync(marker, "2");
    expect(await changes.next()).toEqual([marker]);
    expect(changes.seen).toEqual([[file], [marker]]);
  });

  it("switches to polling and says so when a change arrives without a native event", async () => {
    const file = join(dir, "b.ts");
    writeFileSync(file, "1");
    const changes = calls<string[]>();
    const reasons = calls<string>();
    watcher = new FileWatcher([file], {
      onChange: changes.record,
      onPolling: reasons.record,
      sentinelMs: 100,
      pollMs: 50,
      watchDir: () => ({ close() {} }), // a mount that never delivers events
    });
    // fs.watchFile takes its first stat on the thread pool and says nothing when it has: a write
    // before that stat is no change to it (it is reported by the one compare at registration, in
    // native mode). Its interval is 100 ms here.
    await wait(150);
    writeFileSync(file, "22");
    expect(await reasons.next()).toBe("native file events unavailable; polling every 50 ms");
    expect(await changes.next()).toEqual([file]);
    expect(watcher.mode).toBe("polling");
    writeFileSync(file, "333");
    expect(await changes.next()).toEqual([file]);
    expect(reasons.seen).toHaveLength(1);
  });

  it("reports a change made before watchFile took its first stat (a file edited as the server starts)", async () => {
    const file = join(dir, "early.ts");
    writeFileSync(file, "1");
    const changed = new Promise<string[]>((resolve) => {
      watcher = new FileWatcher([file], { onChange: resolve, poll: true, pollMs: 50 });
    });
    // At once, before the thread pool's first stat of the file can have run.
    writeFileSync(file, "22");
    expect(await changed).toEqual([file]);
  });

  it("falls back at once when fs.watch cannot start", () => {
    const reasons: string[] = [];
    watcher = new FileWatcher([join(dir, "c.ts")], {
      onChange: () => undefined,
      onPolling: (reason) => reasons.push(reason),
      watchDir: () => {
        throw new Error("ENOSPC");
      },
    });
    expect(watcher.mode).toBe("polling");
    expect(reasons[0]).toMatch(/file events unavailable \(ENOSPC\); polling every 300 ms/);
  });
});
