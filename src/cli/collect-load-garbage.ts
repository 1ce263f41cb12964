/**
 * @module One compacting full garbage collection once the server has loaded, before it listens.
 * Loading a large config (YAML, schema checks, the routes' compilation) leaves megabytes of
 * garbage in the old space, more so while the young generation is held small
 * (young-generation.ts), and a server under traffic runs no full collection for a long time:
 * 1,000 routes left the old space at 17–19 MB with 11 MB live, 79–82 MB RSS at idle. Collected
 * and compacted once: 12 MB, 72–73 MB RSS, for ~20–30 ms of start-up
 * (docs/performance.md#memory). A small config grows the old space by 1–3 MB while it loads
 * (1,000 routes: 7–10 MB) and is left alone: its start-up stays as fast.
 * Node exposes no collection call without `--expose-gc`; setting the flag at run time gives a
 * new context's `gc`, the main context (handlers included) gets none, and both flags are set
 * back unless the user gave them.
 * https://nodejs.org/api/v8.html#v8setflagsfromstringflags
 */
import v8 from "node:v8";
import vm from "node:vm";

const USER_GC = /--expose[-_]gc\b/;
const USER_COMPACTS = /--compact[-_]on[-_]every[-_]full[-_]gc\b/;
/**
 * Old-space growth during the load below which a collection would give back too little.
 * Growth, not free space: garbage no collection has seen yet counts as used.
 */
const WORTH_IT = 5 * 1024 * 1024;

/**
 * Call before the load. The function it returns, called once loaded, collects when the load
 * grew the old space by 5 MB or more, and says whether it did.
 */
export function watchLoadGarbage(execArgv: readonly string[], nodeOptions: string | undefined): () => boolean {
  const before = oldSpaceSize();
  return () => {
    if (oldSpaceSize() - before < WORTH_IT) return false;
    const given = `${execArgv.join(" ")} ${nodeOptions ?? ""}`;
    const compactOnce = !USER_COMPACTS.test(given);
    // Every page evacuated: without it V8 compacts only the pages it finds fragmented enough.
    if (compactOnce) v8.setFlagsFromString("--compact-on-every-full-gc");
    try {
      fullCollection(USER_GC.test(given))();
    } finally {
      if (compactOnce) v8.setFlagsFromString("--no-compact-on-every-full-gc");
    }
    return true;
  };
}

function oldSpaceSize(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space")?.space_size ?? 0;
}

function fullCollection(userExposed: boolean): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (userExposed && typeof own === "function") return own;
  v8.setFlagsFromString("--expose-gc");
  try {
    return vm.runInNewContext("gc") as () => void;
  } finally {
    if (!userExposed) v8.setFlagsFromString("--no-expose-gc");
  }
}
