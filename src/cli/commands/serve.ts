/**
 * @module `webhook-serve <config>`: load, build, listen, log one `listening` line, and
 * drain on SIGTERM/SIGINT (graceful-shutdown.ts).
 */
import { createPipeline } from "../../core/handle.js";
import { createInspector } from "../../inspect/inspector.js";
import { collectSecretHeaders } from "../../config/collect-secrets.js";
import { createHttpServer } from "../../server/http-server.js";
import { installShutdown } from "../../server/graceful-shutdown.js";
import { createServerLogger } from "../../logging/logger.js";
import { installFaultHandlers } from "../../server/process-faults.js";
import { createReloader } from "../../reload/create-reloader.js";
import { startWatching } from "../../reload/start-watching.js";
import { loadForCli, type CliIo } from "../load-for-cli.js";
import { resolveServeOptions, type CliFlags } from "../resolve-options.js";
import { maybeRunWorkers, onReloadRequest, startHeartbeat } from "../workers.js";
import { retireRuntime } from "../../runtime/retire-runtime.js";
import { holdYoungGeneration } from "../young-generation.js";
import { collectLoadGarbage } from "../collect-load-garbage.js";

export interface ServeFlags extends CliFlags {
  pretty?: boolean;
  watch?: boolean;
  /** `--workers N|auto`: run N processes on one port (src/cli/workers.ts). */
  workers?: string;
  /** The live inspector at /_inspect/ (on with --watch; `--no-inspect` turns it off). */
  inspect?: boolean;
  inspectToken?: string;
  /** Host names besides loopback the inspector answers on (a tunnel's name). */
  inspectHost?: string[];
  /** `--trim-memory`: hold V8's young generation at its start size while the config loads. */
  trimMemory?: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function serveCommand(file: string, flags: ServeFlags, io: CliIo): Promise<number | "running"> {
  const primary = maybeRunWorkers(flags, io);
  if (primary !== undefined) return primary;
  // The process's own flags, not io.env: they are what this V8 started with. The young
  // generation is held only with --trim-memory.
  const releaseYoungGeneration = flags.trimMemory === true ? holdYoungGeneration(process.execArgv, process.env.NODE_OPTIONS) : () => {};
  try {
    return await startServing(file, flags, io);
  } finally {
    releaseYoungGeneration();
  }
}

async function startServing(file: string, flags: ServeFlags, io: CliIo): Promise<number | "running"> {
  const development = flags.watch === true || io.env.NODE_ENV === "development";
  const loaded = await loadForCli(file, io, { checkReplies: development });
  if (!loaded) return 1;
  const { config, runtime } = loaded;
  // A terminal: the same test the logger makes for --pretty (logger.ts); `drainDelay: auto` is 0 there.
  const resolved = resolveServeOptions(flags, io.env, config.server, process.stdout.isTTY === true);
  if (!resolved.ok) {
    for (const problem of resolved.problems) io.err(problem);
    return 1;
  }
  const { host, port, logLevel, drainDelay } = resolved.options;
  const inspect = flags.inspect ?? flags.watch === true;
  // From the environment too: a flag's value is visible to every user in `ps`.
  const inspectToken = flags.inspectToken ?? (io.env.WEBHOOK_SERVE_INSPECT_TOKEN || undefined);
  if (inspect && !LOOPBACK.test(host) && inspectToken === undefined) {
    io.err(`--inspect on ${host} would show every request to anyone who can reach it: bind to 127.0.0.1, or give --inspect-token <token>`);
    return 1;
  }
  const { logger, destination, addSecrets } = createServerLogger({ level: logLevel, secrets: inspectToken !== undefined ? [...config.secrets, inspectToken] : config.secrets, secretHeaders: collectSecretHeaders(config), ...(flags.pretty ? { pretty: true } : {}) });
  const pipeline = createPipeline(runtime, logger, { observe: inspect, accessLines: destination });
  const inspector = inspect
    ? {
        store: createInspector({ secrets: () => (inspectToken !== undefined ? [...pipeline.runtime.config.secrets, inspectToken] : pipeline.runtime.config.secrets), secretHeaders: () => collectSecretHeaders(pipeline.runtime.config) }),
        ...(inspectToken !== undefined ? { token: inspectToken } : {}),
        ...(flags.inspectHost !== undefined ? { hosts: flags.inspectHost } : {}),
      }
    : undefined;
  const app = createHttpServer(pipeline, inspector ? { inspector } : {});
  // After the drain, handler modules' `dispose` exports close what they opened (the process exits next).
  const shutdown = installShutdown(app, logger, { timeout: config.server.shutdownTimeout, drainDelay, onClosed: () => retireRuntime(app.pipeline.runtime, logger) });
  installFaultHandlers({ logger, count: (kind) => app.metrics?.fault(kind), shutdown: (code) => void shutdown(code) });
  const reloader = createReloader(app.pipeline, {
    configFile: file,
    logger,
    env: io.env,
    checkReplies: development,
    onReload: (outcome) => {
      app.metrics?.reload(outcome.ok ? "ok" : "failed");
      if (outcome.ok) addSecrets(app.pipeline.runtime.config.secrets, collectSecretHeaders(app.pipeline.runtime.config));
    },
  });
  // SIGHUP (under --workers: the primary's broadcast) reloads config and handlers.
  onReloadRequest(() => void reloader.reload(["SIGHUP"]));
  // The load's garbage goes before the first request, not in a pause under traffic; after a
  // large load it also spares every request a V8 slow path (collect-load-garbage.ts).
  collectLoadGarbage(process.execArgv, process.env.NODE_OPTIONS);
  // Fastify logs its own "Server listening at" line per address; the one below is the one line.
  const level = logger.level;
  logger.level = "warn";
  try {
    await app.fastify.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(code === "EADDRINUSE" ? `cannot listen on ${host}:${port}: the port is in use` : `cannot listen on ${host}:${port}: ${(error as Error).message}`);
    return 1;
  } finally {
    logger.level = level;
  }
  // Under --workers each worker watches the files itself, so every worker reloads.
  if (flags.watch) {
    await startWatching(app.pipeline, { configFile: file, logger, env: io.env, reloader }).catch((error: unknown) => {
      logger.error({ err: error }, "--watch could not start; serving without watching (SIGHUP still reloads)");
    });
  }
  // The primary waits this long for a worker it stopped: the delay, then the drain.
  startHeartbeat({ shutdownTimeout: drainDelay + config.server.shutdownTimeout, stallTimeout: config.server.workerStallTimeout });
  const address = app.fastify.server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  // Scripts and supervisors wait for this line, so it is printed even when info is off.
  if (logger.isLevelEnabled("info")) logger.info({ url, webhooks: config.webhooks.map((w) => w.path) }, `listening on ${url}`);
  else io.err(`listening on ${url}`);
  if (inspector) logger.warn(`inspector on ${url}/_inspect/${inspectToken !== undefined ? " (the page asks for the token once)" : ""}`);
  return "running";
}
