/** The CLI program run in this process over a captured CliIo: exit code, stdout, stderr. */
import { CommanderError } from "commander";
import { buildProgram } from "../../src/cli/program.js";

export interface CliRun {
  code: number | "running";
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let code: number | "running" | undefined;
  const io = {
    out: (text: string) => void (stdout += text.endsWith("\n") ? text : `${text}\n`),
    err: (text: string) => void (stderr += text.endsWith("\n") ? text : `${text}\n`),
    env: { PATH: process.env.PATH, ...env },
  };
  const program = buildProgram(io, (result) => (code = result), { throwOnExit: true });
  try {
    await program.parseAsync(["node", "webhook-serve", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code: code ?? 0, stdout, stderr };
}
