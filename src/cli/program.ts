/**
 * @module The `webhook-serve` command line as a commander program: `<config>` serves;
 * `validate`, `routes`, `send` and `init` are subcommands. Exit codes: 0 ok, 1 a problem was
 * printed. Built over a CliIo so tests run it in-process; `main.ts` runs it for the process.
 */
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { initCommand } from "./commands/init.js";
import { routesCommand } from "./commands/routes.js";
import { sendCommand, type SendFlags } from "./commands/send.js";
import { serveCommand, type ServeFlags } from "./commands/serve.js";
import { testCommand, type TestFlags } from "./commands/test.js";
import { validateCommand } from "./commands/validate.js";
import { withEnvFile } from "./env-file.js";
import type { CliIo } from "./load-for-cli.js";
import { logLevels } from "../config/log-levels.js";
import { schemaDefault } from "../config/schema-defaults.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

interface EnvFileFlag {
  envFile?: string;
}

/**
 * `done` gets each command's exit code, or "running" for a server that now runs.
 * `throwOnExit`: commander throws (a CommanderError with its exitCode) instead of exiting the
 * process after help, the version or a usage error, for running the CLI in-process.
 */
export function buildProgram(io: CliIo, done: (code: number | "running") => void, options: { throwOnExit?: boolean } = {}): Command {
  const withEnv = async (run: (io: CliIo) => Promise<number | "running">): Promise<number | "running"> => {
    const loaded = withEnvFile(io, program.opts<EnvFileFlag>().envFile);
    if (typeof loaded === "string") {
      io.err(loaded);
      return 1;
    }
    return run(loaded);
  };

  const program = new Command("webhook-serve");
  // Set before the subcommands exist: they copy these settings when created.
  program.configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  if (options.throwOnExit) program.exitOverride();
  program
    .description("Answer chatbot webhooks from a YAML routing file.")
    .version(pkg.version, "-v, --version")
    .argument("<config>", "routing file (YAML)")
    .option("-p, --port <port>", `port to listen on (env PORT; default ${String(schemaDefault("server.port"))})`)
    .option("-H, --host <host>", `address to bind (env HOST; default ${String(schemaDefault("server.host"))})`)
    .option("-w, --watch", "reload handlers and config on change (development)")
    .addOption(new Option("-l, --log-level <level>", "log level (env LOG_LEVEL)").choices(logLevels))
    .option("--pretty", "human-readable logs (default on a TTY)")
    .option("--drain-delay <duration>", "on SIGTERM, answer /readyz 503 this long before the listener closes (server.drainDelay; default 5s, 0 on a TTY)")
    .option("--workers <n>", "run n worker processes on one port (node:cluster); auto: one per CPU")
    .option("--inspect", "serve the live inspector at /_inspect/ (default with --watch)")
    .option("--no-inspect", "no inspector, even with --watch")
    .option("--inspect-token <token>", "require this token on every inspector request (needed off loopback; env WEBHOOK_SERVE_INSPECT_TOKEN keeps it out of ps)")
    .option("--inspect-host <name...>", "host names besides loopback the inspector answers on (a tunnel's), with a token")
    .option("--trim-memory", "hold V8's young generation small while the config loads: less idle memory for large routing files")
    // A program-wide option: commander gives it to the program even after a subcommand's name.
    .option("--env-file <path>", "read variables from a dotenv file first (the environment wins; every command)")
    .showHelpAfterError()
    // `webhook-serve help <command>`, also with the root's own <config> argument.
    .helpCommand("help [command]", "show help for a command")
    .action(async (config: string, flags: ServeFlags) => done(await withEnv((env) => serveCommand(config, flags, env))));

  program
    .command("validate")
    .description("check the config and import every handler; exit 0 or 1")
    .argument("<config>", "routing file (YAML)")
    .action(async (config: string) => done(await withEnv((env) => validateCommand(config, env))));

  program
    .command("init")
    .description("write a starter project (config.yaml, a handler, its test); never overwrites")
    .argument("[dir]", "folder to write into", ".")
    .action(async (dir: string) => done(await initCommand(dir, pkg.version, io)));

  program
    .command("routes")
    .description("print the routing table")
    .argument("<config>", "routing file (YAML)")
    .action(async (config: string) => done(await withEnv((env) => routesCommand(config, env))));

  program
    .command("test")
    .description("run conversation tests (*.conversation.yaml): multi-turn scripts through the pipeline in-process")
    .argument("[paths...]", "conversation files or folders (default: the current folder)")
    .option("--reporter <name>", "text (default) or junit")
    .option("--output <file>", "where the junit report goes")
    .option("-w, --watch", "run again when a conversation, the config or a handler changes")
    // The root also has --watch (serve): commander gives a flag both define to the root.
    .action(async (paths: string[], flags: TestFlags) => done(await withEnv((env) => testCommand(paths, { ...flags, watch: flags.watch ?? program.opts<{ watch?: boolean }>().watch }, env))));

  program
    .command("send")
    .description("post a sample turn (or a saved body) through the pipeline in-process and print the reply")
    .argument("<config>", "routing file (YAML)")
    .option("--path <path>", "webhook path (optional when there is one webhook)")
    .option("--intent <name>", "intent name")
    .option("--action <name>", "action name")
    .option("--event <name>", "event type")
    .option("--tag <tag>", "Dialogflow CX webhook tag")
    .option("--param <name=value>", "a parameter (repeatable; JSON values parsed)", (v: string, all: string[] = []) => [...all, v])
    .option("--text <text>", "what the user said")
    .option("--platform <name>", "request format for platform: auto webhooks")
    .option("--session-id <id>", "session id")
    .option("--body <file>", "send this saved request body (JSON) instead of a sample, signed and authenticated as the webhook requires")
    .option("--explain", "print, per route, whether it matched and the first condition that did not")
    .action(async (config: string, flags: SendFlags) => done(await withEnv((env) => sendCommand(config, flags, env))));

  return program;
}
