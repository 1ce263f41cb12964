/**
 * @module Load the routing file: read → parse YAML (read-yaml.ts; positions when asked) → `${ENV}` →
 * validate against config-schema.ts → normalize and check. Every problem becomes a
 * `ConfigIssue` with the YAML path and line:column; nothing here throws for bad input.
 *
 * @example
 * const result = await loadConfig("config.yaml");
 * if (!result.ok) for (const issue of result.issues) console.error(formatIssue(issue));
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Ajv, type Options, type ValidateFunction } from "ajv";
import { precompiled } from "../validation/precompiled.js";
import type { ConfigIssue } from "../errors.js";
import type { Config } from "./types.js";
import { configSchema } from "./config-schema.js";
import { deepFreeze } from "./deep-freeze.js";
import { substituteEnv, type Env } from "./env.js";
import { formatPath, type PathIssue } from "./issue-path.js";
import { normalizeConfig } from "./normalize-config.js";
import { schemaIssues } from "./schema-issues.js";
import { readYaml } from "./read-yaml.js";
import type { Locate } from "./yaml-locator.js";

export type LoadResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export interface LoadOptions {
  /** Variables for `${NAME}`. @default process.env */
  env?: Env;
}

/** The options the config schema is compiled with, here and by `scripts/compile-validators.js`. */
export const configAjvOptions = {
  allErrors: true,
  verbose: true, // parentSchema, for the unions' errorMessage
  // YAML users write `port: "8080"` or get strings from ${ENV}; `intent: 404` means "404".
  coerceTypes: true,
  // The schema's `default:`s are the one table of defaults (config-schema.ts).
  useDefaults: true,
  allowUnionTypes: true,
  keywords: [{ keyword: "errorMessage", schemaType: "string" }],
} satisfies Options;

let validator: ValidateFunction | undefined;

/** Compiled once, on first use; the build ships it precompiled (it is most of a cold start's ajv time). */
function validate(data: unknown): ValidateFunction["errors"] {
  validator ??= precompiled<ValidateFunction>("config/config-validator.cjs", "config") ?? new Ajv(configAjvOptions).compile(configSchema);
  return validator(data) ? null : validator.errors;
}

/**
 * Read and load a YAML routing file. A missing or unreadable file is an issue too.
 * Handler paths are resolved against the file's folder.
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a folder, not a file" : `cannot read the file (${code ?? String(error)})`;
    return fail([{ path: "", message: `${absolute}: ${reason}` }]);
  }
  return loadConfigFromString(text, { ...options, file: absolute });
}

/** Load YAML text as if read from `file` (used for messages and to resolve handler paths). */
export function loadConfigFromString(text: string, options: LoadOptions & { file: string }): LoadResult {
  const file = resolve(options.file);
  const read = readYaml(text);
  if (!read.ok) return fail(read.issues);
  return loadValue(read.value, { dir: dirname(file), file, env: options.env, locate: read.locate });
}

/**
 * Validate and normalize a config given as a JS value (no line:column in issues).
 * `dir` resolves handler paths; `file` is recorded in `config.file` ("" if absent).
 * The value is not modified.
 */
export function normalizeConfigObject(raw: unknown, options: LoadOptions & { dir: string; file?: string }): LoadResult {
  return loadValue(raw, {
    dir: resolve(options.dir),
    file: options.file === undefined ? "" : resolve(options.file),
    env: options.env,
  });
}

function loadValue(raw: unknown, options: { dir: string; file: string; env: Env | undefined; locate?: Locate }): LoadResult {
  const { locate } = options;
  const issues: ConfigIssue[] = [];
  const add = (found: readonly PathIssue[]) => {
    for (const issue of found) {
      const position = locate?.(issue.path, issue.key);
      issues.push({ path: formatPath(issue.path), message: issue.message, ...position, ...(issue.file !== undefined ? { file: issue.file } : {}) });
    }
  };

  if (raw === null || raw === undefined) return fail([{ path: "", message: "the configuration is empty (it needs at least webhooks:)" }]);

  const substituted = substituteEnv(raw, options.env ?? process.env);
  add(substituted.issues);
  // A missing variable already explains why its value is wrong: no second issue for that path.
  const envPaths = new Set(substituted.issues.map((issue) => formatPath(issue.path)));
  const others = (found: readonly PathIssue[]) => found.filter((issue) => issue.key !== undefined || !envPaths.has(formatPath(issue.path)));

  const data = substituted.value; // a copy: ajv's coercion may change it
  const errors = validate(data);
  // No issue for an error the schema could not know better of (a registered platform's name).
  const found = errors ? schemaIssues(errors, data) : [];
  if (found.length > 0) {
    add(others(found));
    return fail(issues);
  }
  const { config, issues: semantic } = normalizeConfig(data, options);
  add(others(semantic));
  if (issues.length > 0) return fail(issues);
  return deepFreeze({ ok: true, config });
}

function fail(issues: ConfigIssue[]): LoadResult {
  // File order reads best; issues without a position keep theirs, after the others.
  const sorted = issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.col ?? 0) - (b.issue.col ?? 0) || a.index - b.index)
    .map(({ issue }) => issue);
  return deepFreeze({ ok: false, issues: sorted });
}

