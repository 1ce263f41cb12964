/**
 * The layout rules CONTRIBUTING states, checked over every source file's imports and strings:
 * Fastify only in the carrier folder, no platform name outside `src/platforms/`, adapters with
 * no I/O, nothing below the carrier and the CLI importing from them, no import cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { platformNames } from "../../src/platforms/registry.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

const FILES = sources(SRC).map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, "utf8") }));

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)["']([^"']+)["']/gm)].map((match) => match[1] as string);
}

/** Resolves a relative specifier to its file under src/ (`.js` → `.ts`). */
function target(file: string, specifier: string): string {
  return relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, ".ts");
}

/** The first import cycle found in a graph of file → files it imports, as a path back to its start. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("the code's layout", () => {
  it("finds the sources it checks", () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(importsOf('import a from "x";\nexport { b } from "./y.js";\nawait import("z");')).toEqual(["x", "./y.js", "z"]);
  });

  it("imports Fastify only in the carrier folder (src/server/)", () => {
    const outside = FILES.filter(({ file }) => !file.startsWith("src/server/")).flatMap(({ file, text }) =>
      importsOf(text)
        .filter((specifier) => /^(fastify|@fastify\/|light-my-request|fastify-plugin)/.test(specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("has no second path around the carrier (no direct webhook listener)", () => {
    expect(FILES.filter(({ file, text }) => /direct-webhook/.test(file) || /directWebhooks|direct-webhook/.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it("imports nothing from the carrier or the CLI below them (only the entries may)", () => {
    const upward = FILES.filter(({ file }) => !/^src\/(server|cli)\//.test(file) && file !== "src/index.ts").flatMap(({ file, text }) =>
      importsOf(text)
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => target(file, specifier))
        .filter((path) => /^src\/(server|cli)\//.test(path))
        .map((path) => `${file} → ${path}`),
    );
    expect(upward).toEqual([]);
  });

  it("names no platform in code outside src/platforms/ (the starter project init writes aside)", () => {
    const names = platformNames().filter((name) => name !== "auto");
    expect(names).toContain("dialogflow");
    const found = FILES.filter(({ file }) => !file.startsWith("src/platforms/") && file !== "src/cli/init-templates.ts").flatMap(({ file, text }) =>
      names.filter((name) => new RegExp(`["']${name}["']`).test(text)).map((name) => `${file}: "${name}"`),
    );
    expect(found).toEqual([]);
  });

  it("keeps adapters pure: no Node built-ins but crypto, no logger, no clock", () => {
    const impure = FILES.filter(({ file }) => file.startsWith("src/platforms/")).flatMap(({ file, text }) => [
      ...importsOf(text)
        .filter((specifier) => specifier.startsWith("node:") && specifier !== "node:crypto")
        .map((specifier) => `${file}: ${specifier}`),
      ...(/\bDate\.now\(\)|\bnew Date\(\)|\bconsole\.|\bpino\b/.test(text) ? [`${file}: clock or logging`] : []),
    ]);
    expect(impure).toEqual([]);
  });

  it("has no import cycle in src/ (type-only imports count too: a cycle is a layering mistake either way)", () => {
    expect(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["b"]]]))).toEqual(["b", "c", "b"]);
    const graph = new Map(
      FILES.map(({ file, text }) => [
        file,
        importsOf(text)
          .filter((specifier) => specifier.startsWith("."))
          .map((specifier) => target(file, specifier)),
      ]),
    );
    expect(findCycle(graph)).toBeUndefined();
  });
});
