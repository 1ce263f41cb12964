/**
 * The docs are tested like code: the configuration reference matches the schema it is
 * generated from, every local link resolves (file and heading), and every code block is run
 * the way its kind allows: YAML routing files (and fragments of one) through the real config
 * loader, conversation tests checked for their keys, other YAML parsed, TypeScript and JavaScript compiled by esbuild, shell blocks
 * checked by `bash -n` with each `webhook-serve` command line checked against the CLI's own
 * commands and options. Output samples are fenced as `text`. Every list of the platforms written
 * by hand (README, package.json, the platform docs) names each one the registry holds.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { configReference } from "../../scripts/config-reference.js";
import { withReplyTables } from "../../scripts/reply-table.js";
import { buildProgram } from "../../src/cli/program.js";
import { loadConfigFromString } from "../../src/config/load-config.js";
import { formatIssue } from "../../src/errors.js";
import { allAdapters } from "../../src/platforms/registry.js";
import type { PlatformAdapter } from "../../src/platforms/types.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const walk = (dir: string): string[] => readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
const PAGES = ["README.md", "CONTRIBUTING.md", "SECURITY.md", ...walk("docs")];

interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
}

function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(REPO, page), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)/.exec(lines[i] as string);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] as string); i++) body.push((lines[i] as string).slice(open[1]?.length ?? 0));
    blocks.push({ page, line: start + 1, lang: open[2] ?? "", code: body.join("\n") });
  }
  return blocks;
}

const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
const headingsOf = (page: string) => new Set(readFileSync(page, "utf8").split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ""))));

const ALL = PAGES.flatMap(blocksOf);

describe("docs", () => {
  it("the configuration reference is what the schema generates (run `npm run schema`)", () => {
    expect(readFileSync(join(REPO, "docs/configuration-reference.md"), "utf8")).toBe(configReference());
  });

  it("the reply tables in handlers.md are what the platform registry generates (run `npm run schema`)", () => {
    const page = readFileSync(join(REPO, "docs/handlers.md"), "utf8");
    expect(page).toBe(withReplyTables(page));
  });

  it.each(PAGES)("every local link in %s resolves, headings included", (page) => {
    const text = readFileSync(join(REPO, page), "utf8").replace(/```[\s\S]*?```/g, "");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target as string)) continue;
      const [file, anchor] = (target as string).split("#");
      const path = file ? resolve(REPO, dirname(page), file) : join(REPO, page);
      if (!existsSync(path)) broken.push(`${target}: no ${relative(REPO, path)}`);
      else if (anchor && path.endsWith(".md") && !headingsOf(path).has(anchor)) broken.push(`${target}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it("every code block says its kind", () => {
    expect(ALL.filter((b) => b.lang === "").map((b) => `${b.page}:${b.line}`)).toEqual([]);
  });
});

/** A `${NAME}` in a sample gets a value of the right shape, as a reader's environment would give. */
function sampleEnv(code: string): Record<string, string> {
  const env: Record<string, string> = {};
  const standard = code.includes("standard-webhooks");
  for (const [, name] of code.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const n = name as string;
    env[n] = /PORT/.test(n) ? "8080" : /WHSEC/.test(n) || (standard && /SECRET/.test(n)) ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : /URL/.test(n) ? "redis://127.0.0.1:6379" : `sample-${n.toLowerCase()}`;
  }
  return env;
}

/** A fragment (a list of webhooks, one webhook's keys, a list of routes) as a whole routing file. */
function asConfig(code: string): string | undefined {
  const value = parseYaml(code) as unknown;
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && "webhooks" in value) return code;
  const indent = (text: string, by: string) => text.split("\n").map((l) => (l === "" ? l : by + l)).join("\n");
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    if (first && "path" in first) return `webhooks:\n${indent(code, "  ")}`;
    return `webhooks:\n  - path: /doc\n    platform: generic\n    routes:\n${indent(code, "      ")}`;
  }
  if ("server" in value) return `${code}\nwebhooks: []\n`;
  if ("routes" in value || "auth" in value || "platform" in value) return `webhooks:\n  - path: /doc\n    platform: generic\n${indent(code.replace(/^\s*path:.*$/m, "").replace(/^\s*platform:.*$/m, ""), "    ")}`;
  return undefined;
}

const YAML_OTHER = /^(services|apiVersion|version|name|on|jobs|rules):/m;

describe.each(ALL.filter((b) => b.lang === "yaml").map((b) => [`${b.page}:${b.line}`, b] as const))("yaml block %s", (_where, block) => {
  it("parses, and a routing file (or fragment) loads without problems", () => {
    const docs = parseAllDocuments(block.code);
    for (const doc of Array.isArray(docs) ? docs : [docs]) expect(doc.errors.map((e) => e.message)).toEqual([]);
    if (YAML_OTHER.test(block.code)) return; // Compose, Kubernetes, CI: parsed only
    if (parseYaml(block.code) === null) return; // comments only (the editor-schema line)
    if (/^turns:/m.test(block.code)) {
      // A conversation test: its turns name what they send and what they expect.
      const { turns } = parseYaml(block.code) as { turns: Record<string, unknown>[] };
      for (const turn of turns) expect(Object.keys(turn).filter((k) => !["intent", "action", "event", "tag", "text", "params", "lang", "expect"].includes(k))).toEqual([]);
      return;
    }
    const config = asConfig(block.code);
    expect(config, "not a routing file or a fragment of one").toBeDefined();
    const result = loadConfigFromString(config as string, { file: join(REPO, "config.doc.yaml"), env: sampleEnv(block.code) });
    // A sample names handler files the reader writes; every other problem fails.
    const problems = result.ok ? [] : result.issues.filter((i) => !/handler file .* not found/.test(i.message)).map(formatIssue);
    expect(problems).toEqual([]);
  });
});

describe.each(ALL.filter((b) => ["ts", "js"].includes(b.lang)).map((b) => [`${b.page}:${b.line}`, b] as const))("%s block compiles", (_where, block) => {
  it("is valid TypeScript / JavaScript", () => {
    expect(() => transformSync(block.code, { loader: block.lang as "ts" | "js", format: "esm", target: "node20" })).not.toThrow();
  });
});

const program = buildProgram({ out: () => {}, err: () => {}, env: {} }, () => {});
const optionsOf = (names: string[]) => new Set(names.flatMap((n) => [n]));
const rootOptions = optionsOf(program.options.flatMap((o) => [o.long ?? "", o.short ?? ""]));

describe.each(ALL.filter((b) => b.lang === "sh").map((b) => [`${b.page}:${b.line}`, b] as const))("sh block %s", (_where, block) => {
  it("is valid shell, and each webhook-serve command names real commands and options", () => {
    execFileSync("bash", ["-n"], { input: block.code });
    for (const line of block.code.split("\n")) {
      const at = line.search(/(^|\s|npx )webhook-serve\s/);
      if (at === -1 || line.trimStart().startsWith("#")) continue;
      const words = line.slice(line.indexOf("webhook-serve") + "webhook-serve".length).split(/\s+/).filter(Boolean);
      const sub = program.commands.find((c) => c.name() === words[0]);
      const known = new Set([...rootOptions, ...(sub?.options.flatMap((o) => [o.long ?? "", o.short ?? ""]) ?? []), "--help", "-h"]);
      for (const word of words) {
        if (/^[;&|#]/.test(word)) break;
        const flag = word.split("=")[0] as string;
        if (flag.startsWith("-")) expect(known, `${line}: ${flag}`).toContain(flag);
      }
    }
  });
});

describe("the platform list", () => {
  it("docs/platforms/README.md lists every shipped platform, in the registry's order, with its aliases and a page", () => {
    const listed = readFileSync(join(REPO, "docs/platforms/README.md"), "utf8")
      .split("\n")
      .map((line) => /^- \[`([^`]+)`(?: \(alias(?:es)? ([^)]+)\))?: [^\]]+\]\(([^)]+)\)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== "auto");
    const shipped = allAdapters();
    expect(listed.map((m) => m[1])).toEqual(shipped.map((a) => a.name));
    for (const [index, m] of listed.entries()) {
      const aliases = [...(m[2] ?? "").matchAll(/`([^`]+)`/g)].map((a) => a[1]);
      expect(aliases, m[1]).toEqual(shipped[index]!.aliases);
      expect(existsSync(join(REPO, "docs/platforms", m[3]!)), m[3]).toBe(true);
    }
  });

  // The lists written by hand elsewhere: each must name every registered platform, so a new one
  // fails here until it is added to them.
  const read = (file: string) => readFileSync(join(REPO, file), "utf8").replace(/\s+/g, " ");
  const named = (name: string) => `\`${name}\``;
  /** How prose names each platform (README's opening, package.json's description). */
  const PROSE: Record<string, RegExp> = {
    apiai: /API\.AI/,
    dialogflow: /Dialogflow ES\b/,
    "dialogflow-cx": /Dialogflow (?:ES and )?CX\b/,
    hutoma: /Hu:toma/,
    clustaar: /Clustaar/,
    aiflow: /sipgate AI Flow/,
    rasa: /\bRasa\b/,
    lex: /Amazon Lex V2/,
    generic: /any JSON/,
  };

  it("has a prose name for every registered platform (add a new one here)", () => {
    expect(Object.keys(PROSE)).toEqual(allAdapters().map((a) => a.name));
  });

  it.each([
    ["README.md's opening", () => read("README.md").split("```")[0] as string],
    ["package.json's description", () => (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { description: string }).description],
  ])("%s names every platform", (_what, text) => {
    expect(allAdapters().filter((a) => !PROSE[a.name]?.test(text())).map((a) => a.name)).toEqual([]);
  });

  it("package.json's keywords name every platform but generic (its name, an alias or its prose name)", () => {
    const { keywords } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { keywords: string[] };
    const found = (a: PlatformAdapter) => keywords.some((k) => k === a.name || a.aliases.includes(k) || new RegExp(PROSE[a.name]?.source ?? "^$", "i").test(k));
    expect(allAdapters().filter((a) => a.name !== "generic" && !found(a)).map((a) => a.name)).toEqual([]);
  });

  it("docs/platforms/README.md gives every platform's own default deadline", () => {
    const paragraph = /Default handler deadlines.*?\. (?=- \[)/.exec(read("docs/platforms/README.md"))?.[0] ?? "";
    const said: Record<string, number> = {};
    for (const [, seconds, names] of paragraph.matchAll(/([\d.]+) s for ((?:`[^`]+`(?:, | and )?)+)/g)) for (const [, name] of (names as string).matchAll(/`([^`]+)`/g)) said[name as string] = Number(seconds) * 1000;
    expect(said).toEqual(Object.fromEntries(allAdapters().map((a) => [a.name, a.defaultTimeout])));
  });

  it("docs/operations.md names every platform's delivery id, or says it has none", () => {
    const bullet = /- With `server\.dedupe` set.*?have none/.exec(read("docs/operations.md"))?.[0] ?? "";
    const none = /The others \(([^)]*)\)/.exec(bullet)?.[1] ?? "";
    const wrong = allAdapters().filter((a) => (a.dedupeKey === undefined ? !none.includes(named(a.name)) : !bullet.includes(`${named(a.name)} ${named(a.dedupeKey)}`)));
    expect(wrong.map((a) => a.name)).toEqual([]);
  });

  it("docs/testing.md says how every platform carries state", () => {
    const table = /\| platform \| what the next request carries \|.*?(?=\n\n)/s.exec(readFileSync(join(REPO, "docs/testing.md"), "utf8"))?.[0] ?? "";
    const column = table.split("\n").map((row) => row.split("|")[1] ?? "").join(" ");
    expect(allAdapters().filter((a) => !column.includes(named(a.name))).map((a) => a.name)).toEqual([]);
  });
});
