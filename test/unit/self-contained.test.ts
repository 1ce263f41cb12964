/**
 * The repository is self-contained: no test, bench, script or source reads a path that climbs
 * out of the clone (a reference folder beside it, say), so `git clone` + `npm test` passes anywhere.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const skip = new Set(["node_modules", "dist", ".git", "coverage"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|mjs|cjs|json|ya?ml)$/.test(name) ? [path] : [];
  });
}

describe("self-contained repository", () => {
  it("no file refers to a relative path that resolves outside the clone", () => {
    const escapes: string[] = [];
    for (const file of files(root)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/["'`]((?:\.\.\/)+[^"'`\s]*)["'`]/g)) {
        const target = resolve(dirname(file), match[1]!);
        if (relative(root, target).startsWith("..")) escapes.push(`${relative(root, file)}: ${match[1]}`);
      }
    }
    expect(escapes).toEqual([]);
  });
});
