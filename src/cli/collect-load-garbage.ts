/**
 * @module One compacting full garbage collection once the server has loaded, before it listens.
 * Loading a large config (YAML, schema checks, the routes' compilation) leaves megabytes of
 * garbage in the old space, more so while the young generation is held small
 * (young-generation.ts), and a server under traffic runs no full collection for a long time:
 * 1,000 routes left the old space at 17–19 MB with 11 MB live, 79–82 MB RSS at idle (read by
 * the `yaml` package then). Collected and compacted once: 12 MB, 72–73 MB RSS, for ~20–30 ms of start-up
 * (docs/performance.md#memory). It runs whatever the config's size: after loading 1,000
 * routes without it, V8 built every `process.nextTick` object on a slow path (+24,000
 * instructions per request, bench/journal.md), and a config read by js-yaml no longer grows
 * the old space enough to tell such a load by its garbage. A small config's costs ~5–10 ms.
 * Node exposes no collection call without `--expose-gc`; setting the flag at run time gives a
 * new context's `gc`, the main context (handlers included) gets none, and both flags are set
 * back unless the user gave them.
 * https://nodejs.org/api/v8.html#v8setflagsfromstringflags
 */
import v8 from "node:v8";
import vm from "node:vm";

const USER_GC = /--expose[-_]gc\b/;
const USER_COMPACTS = /--compact[-_]on[-_]every[-_]full[-_]gc\b/;

/** One compacting full collection; `execArgv` and `nodeOptions` say which flags the user gave. */
export function collectLoadGarbage(execArgv: readonly string[], nodeOptions: string | undefined): void {
  const given = `${execArgv.join(" ")} ${nodeOptions ?? ""}`;
  const compactOnce = !USER_COMPACTS.test(given);
  // Every page evacuated: without it V8 compacts only the pages it finds fragmented enough.
  if (compactOnce) v8.setFlagsFromString("--compact-on-every-full-gc");
  try {
    fullCollection(USER_GC.test(given))();
  } finally {
    if (compactOnce) v8.setFlagsFromString("--no-compact-on-every-full-gc");
  }
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
