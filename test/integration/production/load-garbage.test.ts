/**
 * Once loaded and before it listens, the server collects and compacts the old space once
 * (src/cli/collect-load-garbage.ts): loading 1,000 routes leaves megabytes of garbage there.
 * A probe loaded with `--import` notes the old space each time the server sets a V8 flag.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spawnServer } from "../../helpers/spawn-server.js";
import { manyRoutes } from "../../helpers/many-routes.js";

const PROBE = fileURLToPath(new URL("../../fixtures/cli/v8-flags-probe.mjs", import.meta.url));
const SMALL = fileURLToPath(new URL("../../../config.example.yaml", import.meta.url));

interface Observed {
  /** `typeof gc` in the main context at exit. */
  gc: string;
  /** The flags the server set (other than the young generation's), with the old space then (MB). */
  flags: { flag: string; size: number; used: number }[];
}

async function observe(nodeOptions: string, config = manyRoutes()): Promise<Observed> {
  const server = await spawnServer([config, "--log-level", "warn"], { env: { NODE_OPTIONS: nodeOptions }, timeoutMs: 30_000 });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(await server.stop()).toBe(0);
  const match = /load-garbage gc=(\w+) flags=(\S*)/.exec(server.output());
  if (!match) throw new Error(`the probe printed nothing:\n${server.output()}`);
  const flags = (match[2] ?? "").split(",").filter(Boolean).map((entry) => {
    const [flag = "", mb = ""] = entry.split("@");
    const [size = "", used = ""] = mb.split("/");
    return { flag, size: Number(size), used: Number(used) };
  }).filter((entry) => !entry.flag.startsWith("--semi-space") && !entry.flag.includes("regexp"));
  return { gc: match[1] ?? "", flags };
}

describe("the garbage the load leaves", () => {
  it("is collected and compacted once before listening, with no gc() left to handlers and V8's flags set back", async () => {
    const { gc, flags } = await observe(`--import="${PROBE}"`);
    expect(flags.map((f) => f.flag)).toEqual(["--compact-on-every-full-gc", "--expose-gc", "--no-expose-gc", "--no-compact-on-every-full-gc"]);
    const after = flags[3];
    // The compacting collection gave back what the load left: the old space's pages are
    // (nearly) full. (Their number may grow: the collection also promotes the young
    // generation's survivors.)
    expect(after!.size - after!.used).toBeLessThan(1.5);
    // The collection function came from a context of its own: the server's has none.
    expect(gc).toBe("undefined");
  }, 60_000);

  it("is collected for a small config too (after a large load V8 otherwise takes a slow path on every nextTick)", async () => {
    const { gc, flags } = await observe(`--import="${PROBE}"`, SMALL);
    expect(flags.map((f) => f.flag)).toEqual(["--compact-on-every-full-gc", "--expose-gc", "--no-expose-gc", "--no-compact-on-every-full-gc"]);
    expect(gc).toBe("undefined");
  }, 60_000);

  it("uses the user's own gc() when they exposed it, and leaves it exposed", async () => {
    const { gc, flags } = await observe(`--import="${PROBE}" --expose-gc`);
    expect(flags.map((f) => f.flag)).toEqual(["--compact-on-every-full-gc", "--no-compact-on-every-full-gc"]);
    expect(flags[1]!.size - flags[1]!.used).toBeLessThan(1.5);
    expect(gc).toBe("function");
  }, 60_000);
});
