/**
 * The package a user installs (`npm pack`): a LICENSE matching `license`, every docs page the
 * README links, source maps that carry their sources, and no install-time script.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/spawn-server.js";

const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { license: string; scripts: Record<string, string> };
const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8" })) as [{ files: { path: string }[] }];
const files = new Set(packed[0].files.map((f) => f.path));

describe("the packed package", () => {
  it("ships a LICENSE that matches package.json", () => {
    expect(files.has("LICENSE")).toBe(true);
    expect(manifest.license).toBe("MIT");
    expect(readFileSync(join(REPO, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("ships every local page the README links", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(files, link).toContain(link);
  });

  it("ships source maps with their sources inlined, not pointing at files it lacks", () => {
    const maps = [...files].filter((f) => f.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps.slice(0, 20)) {
      const parsed = JSON.parse(readFileSync(join(REPO, map), "utf8")) as { sources: string[]; sourcesContent?: string[] };
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
    }
    expect([...files].some((f) => f.startsWith("src/"))).toBe(false);
  });

  it("runs no script at install time", () => {
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts[hook]).toBeUndefined();
    expect(manifest.scripts.prepack).toBe("npm run build");
  });
});
