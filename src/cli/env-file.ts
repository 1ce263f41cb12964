/**
 * @module `--env-file <path>`: variables from a dotenv file for `${NAME}` in the config and
 * for PORT/HOST/LOG_LEVEL, read as Node's own `--env-file` does (util.parseEnv): variables
 * already in the environment win over the file.
 * @see https://nodejs.org/api/cli.html#--env-fileconfig
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import type { CliIo } from "./load-for-cli.js";

/** The io with the file's variables added under the existing ones, or a problem to print. */
export function withEnvFile(io: CliIo, path: string | undefined): CliIo | string {
  if (path === undefined) return io;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return `--env-file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  if (io.env === process.env) {
    // Serving: workers, handlers and libraries read process.env itself.
    for (const [key, value] of Object.entries(fromFile)) if (process.env[key] === undefined) process.env[key] = value;
    return io;
  }
  const env: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined) env[key] = value;
  return { ...io, env };
}
