/**
 * @module The process entry (`bin/webhook-serve.js` runs its bundle): the CLI program over
 * the real stdout, stderr and environment; a finished command exits with its code.
 */
import { processIo } from "./load-for-cli.js";
import { buildProgram } from "./program.js";

const program = buildProgram(processIo, (code) => {
  // Handler modules may hold timers open; a finished command exits.
  if (code !== "running") process.exit(code);
});
program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`webhook-serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
