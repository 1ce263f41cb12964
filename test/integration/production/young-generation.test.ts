/**
 * With `--trim-memory`, the young generation is held at its start size while the server loads (src/cli/young-generation.ts),
 * then let go. A probe loaded with `--import` reports its size at exit, before and after keeping
 * a million small objects alive across scavenges.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spawnServer } from "../../helpers/spawn-server.js";
import { manyRoutes } from "../../helpers/many-routes.js";

const PROBE = fileURLToPath(new URL("../../fixtures/cli/v8-flags-probe.mjs", import.meta.url));

interface Observed {
  afterStart: number;
  afterWork: number;
  /** Each V8 flag the server set, with the young generation's size (MB) at that moment. */
  flags: { flag: string; mb: number }[];
}

async function youngGeneration(nodeOptions: string, trim = true): Promise<Observed> {
  const server = await spawnServer([manyRoutes(), "--log-level", "warn", ...(trim ? ["--trim-memory"] : [])], { env: { NODE_OPTIONS: nodeOptions }, timeoutMs: 30_000 });
  expect(await server.stop()).toBe(0);
  const match = /young-generation after-start=([\d.]+) after-work=([\d.]+) kept=\d+ flags=(\S*)/.exec(server.output());
  if (!match) throw new Error(`the probe printed nothing:\n${server.output()}`);
  // The young generation's own flags (the server also sets others: collect-load-garbage.ts).
  const flags = (match[3] ?? "").split(",").filter(Boolean).map((entry) => {
    const [flag = "", mb = ""] = entry.split("@");
    return { flag, mb: Number(mb) };
  }).filter((entry) => entry.flag.startsWith("--semi-space"));
  return { afterStart: Number(match[1]), afterWork: Number(match[2]), flags };
}

describe("the young generation while a large routing file loads", () => {
  it("stays at its size while the server starts, and grows again once it listens; left to V8 when the user sized it", async () => {
    const held = await youngGeneration(`--import="${PROBE}"`);
    // V8's own cap (16 MB semi-spaces on 64-bit Node 20): the same limit, but a flag of the user's.
    const own = await youngGeneration(`--import="${PROBE}" --max-semi-space-size=16`);
    // Held from the start of `serve` to listening: the size it had then is the size it has after.
    expect(held.flags.map((f) => f.flag)).toEqual(["--semi-space-growth-factor=1", "--semi-space-growth-factor=2"]);
    const [hold, release] = held.flags;
    expect(release?.mb).toBe(hold?.mb);
    // Unheld, loading the file alone grows it (Node 20: to 16 MB, Node 24: to 32 MB), past
    // where the held one stayed (4 or 8 MB, by what loading the CLI kept alive before).
    expect(own.flags).toEqual([]);
    expect(own.afterStart).toBeGreaterThanOrEqual(16);
    expect(release?.mb).toBeLessThan(own.afterStart);
    // Let go once listening: keeping objects alive grows it again.
    expect(held.afterWork).toBeGreaterThan(held.afterStart);
  }, 60_000);

  it("is left to V8 without --trim-memory", async () => {
    const untouched = await youngGeneration(`--import="${PROBE}"`, false);
    expect(untouched.flags).toEqual([]);
    expect(untouched.afterStart).toBeGreaterThanOrEqual(16);
  }, 60_000);
});
