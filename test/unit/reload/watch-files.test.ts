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

describe("FileWatcher", () => {
  it("reports a burst of writes once, and ignores unwatched files in the same folder", async () => {
    const file = join(dir, "a.ts");
    writeFileSync(file, "1");
    const calls: string[][] = [];
    watcher = new FileWatcher([file], { onChange: (files) => calls.push(files), debounceMs: 60 });
    await wait(50);
    writeFileSync(join(dir, "other.ts"), "x");
    for (let i = 0; i < 5; i++) writeFileSync(file, String(i));
    await wait(400);
    expect(calls).toEqual([[file]]);
  });

  it("switches to polling and says so when a change arrives without a native event", async () => {
    const file = join(dir, "b.ts");
    writeFileSync(file, "1");
    const calls: string[][] = [];
    const reasons: string[] = [];
    watcher = new FileWatcher([file], {
      onChange: (files) => calls.push(files),
      onPolling: (reason) => reasons.push(reason),
      sentinelMs: 100,
      pollMs: 50,
      watchDir: () => ({ close() {} }), // a mount that never delivers events
    });
    await wait(150);
    writeFileSync(file, "22");
    await wait(700);
    expect(reasons).toEqual(["native file events unavailable; polling every 50 ms"]);
    expect(watcher.mode).toBe("polling");
    expect(calls).toEqual([[file]]);
    writeFileSync(file, "333");
    await wait(400);
    expect(calls.length).toBe(2);
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
