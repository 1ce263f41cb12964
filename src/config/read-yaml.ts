/**
 * @module The routing file's YAML → a JS value, with line:column for any issue. A file with no
 * anchor is read by js-yaml (YAML 1.2 core schema, like the `yaml` package's default), ~10×
 * faster than the `yaml` package's document API (10,000 routes: ~0.2 s against 1.5–2.3 s);
 * the positions then come from the `yaml` package's document, parsed only when an issue asks
 * for one. Anything js-yaml refuses (a syntax error, a duplicate key, an empty or
 * multi-document file, an unknown tag), and any file with an anchor (the `yaml` package
 * bounds alias expansion with maxAliasCount; js-yaml's aliases would be expanded later, by
 * the `${ENV}` walk), is read the document way, whose errors carry line:column.
 * @see https://github.com/nodeca/js-yaml
 * @see https://eemeli.org/yaml/#parsing-yaml
 */
import { load, CORE_SCHEMA } from "js-yaml";
import { LineCounter, parseDocument } from "yaml";
import type { ConfigIssue } from "../errors.js";
import { yamlLocator, type Locate } from "./yaml-locator.js";

type YamlRead = { ok: true; value: unknown; locate: Locate } | { ok: false; issues: ConfigIssue[] };

/** An anchor (`&name`) where YAML can have one: after a space, a flow indicator or the line's start. */
const ANCHOR = /(?:^|[\s[{,:?-])&[^\s,[\]{}]/m;

export function readYaml(text: string): YamlRead {
  if (!ANCHOR.test(text)) {
    let value: unknown;
    try {
      value = load(text, { schema: CORE_SCHEMA, maxAliases: 0 });
    } catch {
      return readDocument(text);
    }
    // An empty file or one holding only comments: the document way says so as before.
    if (value !== undefined && value !== null) return { ok: true, value, locate: lazily(text) };
  }
  return readDocument(text);
}

/** The `yaml` package's document: positions for every node, alias expansion bounded. */
function readDocument(text: string): YamlRead {
  const { doc, lineCounter } = parseWithPositions(text);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: "", message: `YAML: ${firstLine(error.message)}`, line, col };
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }), locate: yamlLocator(doc, lineCounter) };
  } catch (error) {
    // Only an alias bomb gets here ("Excessive alias count").
    return { ok: false, issues: [{ path: "", message: `YAML: ${firstLine((error as Error).message)}` }] };
  }
}

/** A locator that parses the document on its first question (most loads ask none). */
function lazily(text: string): Locate {
  let locate: Locate | undefined;
  return (path, key) => {
    if (locate === undefined) {
      const { doc, lineCounter } = parseWithPositions(text);
      locate = yamlLocator(doc, lineCounter);
    }
    return locate(path, key);
  };
}

/** The `yaml` package's document, with the options the config has always been read with. */
function parseWithPositions(text: string) {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true }), lineCounter };
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
