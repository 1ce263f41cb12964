/**
 * @module Loads a config and builds its runtime for a CLI command; on problems prints each
 * one as `path: message (line L:C)` to stderr, never a stack trace, and returns undefined.
 */
import { loadConfig } from "../config/load-config.js";
import type { Config } from "../config/types.js";
import { formatIssue, type ConfigIssue } from "../errors.js";
import { loadRuntime, type RuntimeLoadOptions } from "../runtime/rebuild-runtime.js";
import type { Runtime } from "../runtime/runtime.js";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  env: process.env,
};

export async function loadForCli(
  file: string,
  io: CliIo,
  options: RuntimeLoadOptions = {},
): Promise<{ config: Config; runtime: Runtime } | undefined> {
  const loaded = await loadConfig(file, { env: io.env });
  if (!loaded.ok) return printIssues(file, loaded.issues, io);
  const built = await loadRuntime(loaded.config, options);
  if (!built.ok) return printIssues(file, built.issues, io);
  return { config: loaded.config, runtime: built.runtime };
}

function printIssues(file: string, issues: readonly ConfigIssue[], io: CliIo): undefined {
  io.err(`${file}: ${issues.length} problem${issues.length === 1 ? "" : "s"}`);
  for (const issue of issues) io.err(`  ${formatIssue(issue)}`);
  return undefined;
}
