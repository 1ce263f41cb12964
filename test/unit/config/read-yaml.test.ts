/**
 * The routing file's YAML read two ways (src/config/read-yaml.ts): js-yaml for files with no
 * anchor, the `yaml` package's document for the rest and for every error. Both must give the
 * same value for every YAML file the repository has, and issues keep their line:column.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load, CORE_SCHEMA } from "js-yaml";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { readYaml } from "../../../src/config/read-yaml.js";
import { loadConfigFromString } from "../../../src/config/load-config.js";
import { formatIssue } from "../../../src/errors.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const FILES = [...yamlFiles(join(REPO, "test/fixtures")), join(REPO, "config.example.yaml")];

describe("reading YAML", () => {
  it("finds the files it compares", () => {
    expect(FILES.length).toBeGreaterThan(10);
  });

  it.each(FILES.map((file) => [file.slice(REPO.length), file]))("%s: js-yaml and the yaml package read the same value", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const doc = parseDocument(text, { merge: true, uniqueKeys: true });
    if (doc.errors.length > 0) return expect(readYaml(text).ok).toBe(false);
    const expected = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    const read = readYaml(text);
    expect(read.ok && read.value).toEqual(expected);
    if (!/&\S/.test(text)) expect(load(text, { schema: CORE_SCHEMA })).toEqual(expected);
  });

  it("locates a node only when asked, and then exactly", () => {
    const read = readYaml("webhooks:\n  - path: /a\n    platform: generic\n    routes:\n      - { event: x, reply: { text: hi } }\n");
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.locate(["webhooks", 0, "routes", 0])).toEqual({ line: 5, col: 9 });
  });

  it.each([
    ["a duplicate key", "webhooks: []\nwebhooks: []\n", /YAML: Map keys must be unique \(line 2:1\)/],
    ["a syntax error", "webhooks: [\n", /YAML: .* \(line \d+:\d+\)/],
    ["an alias bomb (anchors: the document way, bounded)", `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array.from({ length: 10 }, () => (i === 0 ? "*a" : `*l${i}`)).join(",")}]`).join("\n")}\n`, /YAML: Excessive alias count/],
    ["an empty file", "# nothing here\n", /the configuration is empty/],
  ])("%s is an issue with the document way's words", (_name, text, message) => {
    const loaded = loadConfigFromString(text, { file: "c.yaml" });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues.map(formatIssue).join("\n")).toMatch(message);
  });

  it("reads a tag js-yaml does not know the document way (as the yaml package always did)", () => {
    expect(() => load("a: !custom x\n", { schema: CORE_SCHEMA })).toThrow();
    expect(readYaml("a: !custom x\n")).toMatchObject({ ok: true, value: { a: "x" } });
  });

  it("gives every issue of a file read by js-yaml its line:column", () => {
    const loaded = loadConfigFromString("webhooks:\n  - path: /a\n    platform: generic\n    routes:\n      - { intnet: x, reply: { text: hi } }\n", { file: "c.yaml" });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues.map(formatIssue).join("\n")).toMatch(/intnet.*\(line 5:\d+\)/);
  });
});
