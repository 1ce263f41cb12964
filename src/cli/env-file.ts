/**
 * @module `--env-file <path>`: variables from a dotenv file for `${NAME}` in the config and
 * for PORT/HOST/LOG_LEVEL, read as Node's own `--env-file` does (util.parseEnv): variables
 * already in the environment win over the file. Two things parseEnv does silently are made
 * visible: a UTF-8 byte-order mark (Windows editors write one) would become part of the first
 * variable's name, so it is dropped; an unquoted `#` starts a comment, so `PASSWORD=pa#ss`
 * reads as `pa`, and such a cut value is warned about (by name and line, never its value).
 * @see https://nodejs.org/api/cli.html#--env-fileconfig
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import type { CliIo } from "./load-for-cli.js";

const BOM = "\uFEFF";

/** `NAME=value` lines, as parseEnv reads them (an optional `export `). */
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/;

/**
 * Lines whose unquoted value has a `#` right after other text (`pa#ss`, `=#fff`): parseEnv cut
 * the value there. A `#` after a space (`NAME=value # note`) is taken as the comment it looks like.
 */
export function valuesCutAtHash(text: string, parsed: Readonly<Record<string, string>>): { name: string; line: number }[] {
  const cut: { name: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const match = ASSIGNMENT.exec(line);
    if (!match) continue;
    const [, name = "", value = ""] = match;
    if (/^["'`]/.test(value)) continue;
    const hash = value.indexOf("#");
    if (hash === -1) continue;
    const before = hash === 0 ? line.charAt(line.length - value.length - 1) : value.charAt(hash - 1);
    // The value parseEnv kept is the text before the `#`: this line is the one it read.
    if (!/\s/.test(before) && parsed[name] === value.slice(0, hash).trim()) cut.push({ name, line: index + 1 });
  }
  return cut;
}

/** The io with the file's variables added under the existing ones, or a problem to print. Warnings go to `io.err`. */
export function withEnvFile(io: CliIo, path: string | undefined): CliIo | string {
  if (path === undefined) return io;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return `--env-file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  if (text.startsWith(BOM)) text = text.slice(BOM.length);
  const fromFile = parseEnv(text) as Record<string, string>;
  for (const { name, line } of valuesCutAtHash(text, fromFile)) {
    io.err(`--env-file: ${path}:${line}: the value of ${name} ends at an unquoted "#" (the rest is read as a comment); quote the value if the "#" belongs to it`);
  }
  if (io.env === process.env) {
    // Serving: workers, handlers and libraries read process.env itself.
    for (const [key, value] of Object.entries(fromFile)) if (process.env[key] === undefined) process.env[key] = value;
    return io;
  }
  const env: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined) env[key] = value;
  return { ...io, env };
}
