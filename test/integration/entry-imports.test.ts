/**
 * What each built entry loads, seen by a module resolve hook in a fresh Node process: the
 * serverless and testing entries run the core without booting an HTTP framework, so neither
 * loads Fastify (nor its inject, nor `ws`); the main entry does, for createServer (the check can fail).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/spawn-server.js";

const PROBE = join(REPO, "test/fixtures/cli/imported-modules.mjs");

function loadedBy(entry: string): string[] {
  const out = execFileSync(process.execPath, [PROBE, join(REPO, entry)], { cwd: REPO, encoding: "utf8" });
  const { esm, cjs } = JSON.parse(out) as { esm: string[]; cjs: string[] };
  return [...esm, ...cjs];
}

const FRAMEWORK = /node_modules\/(fastify|@fastify\/[^/]+|light-my-request|avvio|find-my-way|ws)\//;

describe("what each entry loads", () => {
  it.each(["dist/serverless/index.js", "dist/testing/index.js"])("%s loads no Fastify or ws module", (entry) => {
    const modules = loadedBy(entry);
    expect(modules.some((url) => url.includes("/dist/core/handle.js"))).toBe(true);
    expect(modules.filter((url) => FRAMEWORK.test(url))).toEqual([]);
  });

  it("the main entry loads Fastify (createServer builds an app)", () => {
    expect(loadedBy("dist/index.js").filter((url) => FRAMEWORK.test(url)).length).toBeGreaterThan(0);
  });
});
