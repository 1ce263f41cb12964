/**
 * @module Holds V8's young generation at its start size while the server loads. Loading a
 * large routing file keeps megabytes alive across scavenges, and V8 doubles the young
 * generation each time the survivors outgrow it: 1,000 routes took it to its 32 MB cap, which
 * V8 gives back only once allocation has slowed for a while (idle RSS 89 MB instead of 77).
 * Held during the load, it grows later only as far as the traffic needs, as in a server that
 * loaded nothing (docs/performance.md#memory).
 * `--semi-space-growth-factor` is a number V8 reads each time it would grow the space, so
 * setting it at run time takes effect (the semi-space size flags do not).
 * https://nodejs.org/api/v8.html#v8setflagsfromstringflags
 */
import v8 from "node:v8";

/** V8's default for the flag in Node 20, 22 and 24 (`node --v8-options`). */
const DEFAULT_GROWTH_FACTOR = 2;
/** A user who sized the young generation themselves keeps their own setting. */
const USER_SIZING = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** Returns the function that lets the young generation grow again (call it once listening). */
export function holdYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): () => void {
  if (USER_SIZING.test(`${execArgv.join(" ")} ${nodeOptions ?? ""}`)) return () => {};
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return () => v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
