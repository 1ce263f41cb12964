/**
 * @module `--workers N`: the primary forks N workers (node:cluster) that each run the serve
 * command on the same port (the primary shares the listening socket). The primary replaces
 * a worker that dies and logs it, forwards SIGTERM/SIGINT so every worker drains, and exits
 * once all have exited. Reloads reach every worker through one IPC message,
 * `{ type: "webhook-serve:reload" }` (sent on SIGHUP, or by `broadcastReload()`).
 *
 * Watchdog: each worker sends a heartbeat every second from its event loop. A worker silent
 * for longer than `server.workerStallTimeout` (a handler stuck in a synchronous
 * loop) is killed with SIGKILL, which also stops the primary handing it connections, and
 * replaced. On SIGTERM, workers still running `drainDelay` + `shutdownTimeout` + 5 s later are killed and
 * the primary exits 1. A worker whose primary is gone drains and exits.
 * @see https://nodejs.org/api/cluster.html
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { LogLevel } from "../config/types.js";
import { schemaDefault } from "../config/schema-defaults.js";
import { parseDuration } from "../config/units.js";
import { CLUSTER_ENV, sendIfConnected, servePrimaryMetrics } from "../metrics/cluster-metrics.js";
import { createLogger } from "../logging/logger.js";
import type { CliIo } from "./load-for-cli.js";

const RELOAD_MESSAGE = "webhook-serve:reload";
const HEARTBEAT_MESSAGE = "webhook-serve:heartbeat";
const HEARTBEAT_MS = 1000;
/** Past the workers' own shutdownTimeout, the primary waits this much longer before SIGKILL. */
const KILL_GRACE_MS = 5000;

/** What a worker tells the primary once it listens (the primary never reads the config). */
interface HeartbeatMessage {
  type: typeof HEARTBEAT_MESSAGE;
  /** ms the worker may take to stop: its drain delay plus its shutdown timeout. */
  shutdownTimeout?: number;
  stallTimeout?: number;
}

/**
 * In a `--workers` worker: beat every second from the event loop, so the primary can tell a
 * wedged worker from a busy one. The first beat carries the limits the primary enforces.
 */
export function startHeartbeat(limits: { shutdownTimeout: number; stallTimeout: number }): void {
  if (!cluster.isWorker) return;
  const beat = (message: HeartbeatMessage) => {
    if (process.connected) process.send?.(message, undefined, {}, () => {});
  };
  beat({ type: HEARTBEAT_MESSAGE, ...limits });
  setInterval(() => beat({ type: HEARTBEAT_MESSAGE }), HEARTBEAT_MS).unref();
}
const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

interface WorkerFlags {
  workers?: string;
  logLevel?: string;
  pretty?: boolean;
}

/** `N` or `auto` (one per CPU) → a count, or an error text. */
function parseWorkers(value: string): number | string {
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) return `--workers: "${value}" must be a whole number from 1 to 256, or auto`;
  return n;
}

/**
 * In the primary process with `--workers`: run the cluster and return "running" (or 1 on a
 * bad flag). In a worker, or without the flag: undefined, and the caller serves as usual.
 */
export function maybeRunWorkers(flags: WorkerFlags, io: CliIo): number | "running" | undefined {
  if (flags.workers === undefined) return undefined;
  if (cluster.isWorker) {
    // The primary is gone (killed): drain and exit rather than serve unsupervised.
    process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
    return undefined;
  }
  const count = parseWorkers(flags.workers);
  if (typeof count === "string") {
    io.err(count);
    return 1;
  }
  runPrimary(count, flags, io);
  return "running";
}

function runPrimary(count: number, flags: WorkerFlags, io: CliIo): void {
  // The workers validate and report a bad level themselves; the primary just logs at info then.
  const wanted = flags.logLevel ?? io.env.LOG_LEVEL;
  const level = (wanted !== undefined && LEVELS.has(wanted) ? wanted : "info") as LogLevel;
  const logger = createLogger({ level, ...(flags.pretty ? { pretty: true } : {}) });
  const started = new Set<Worker>();
  // Workers whose process has not exited. Not `cluster.workers`: Node removes a worker from it
  // only once both its "exit" and its "disconnect" have fired, in either order, so on the last
  // "exit" it may still be listed and the primary would end without its final line.
  const alive = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;
  let lastFork = 0;
  let announced = false;
  // Replacements that fail to start (the config on disk broke since): retried, ever more slowly.
  let failedStarts = 0;
  const lastBeat = new Map<Worker, number>();
  // Until the first worker's heartbeat says what its config sets.
  let shutdownTimeout = parseDuration(schemaDefault("server.shutdownTimeout") as string) ?? 0;
  let stallTimeout = parseDuration(schemaDefault("server.workerStallTimeout") as string) ?? 0;

  const fork = () => {
    lastFork = Date.now();
    const worker = cluster.fork({ [CLUSTER_ENV]: "1" });
    alive.add(worker);
    // IPC errors (a message to a worker that just died) must not end the primary.
    worker.on("error", (error) => logger.warn({ worker: worker.process.pid, err: error }, "worker channel error"));
    worker.on("message", (message: HeartbeatMessage | null) => {
      if (message?.type !== HEARTBEAT_MESSAGE) return;
      lastBeat.set(worker, Date.now());
      if (typeof message.shutdownTimeout === "number") shutdownTimeout = message.shutdownTimeout;
      if (typeof message.stallTimeout === "number") stallTimeout = message.stallTimeout;
    });
    worker.once("listening", () => {
      started.add(worker);
      failedStarts = 0;
      if (started.size === count && !announced) {
        announced = true;
        logger.info({ workers: count }, `all ${count} workers listening`);
      }
    });
    return worker;
  };

  servePrimaryMetrics();
  const watchdog = setInterval(() => {
    if (stopping) return;
    const now = Date.now();
    for (const [worker, beat] of lastBeat) {
      if (now - beat <= stallTimeout) continue;
      lastBeat.delete(worker);
      logger.error({ worker: worker.process.pid, silentMs: now - beat, stallTimeout }, "worker's event loop is blocked; killing and replacing it");
      worker.process.kill("SIGKILL");
    }
  }, HEARTBEAT_MS);
  watchdog.unref();
  cluster.on("exit", (worker, code, signal) => {
    lastBeat.delete(worker);
    alive.delete(worker);
    const wasStarted = started.delete(worker);
    if (stopping) {
      // A worker stopped by our SIGTERM before it installed its own handler is not a failure.
      if (code !== 0 && signal !== "SIGTERM") exitCode = 1;
      if (alive.size === 0) {
        logger.info({ code: exitCode }, "all workers stopped");
        logger.flush();
        process.exit(exitCode);
      }
      return;
    }
    if (!wasStarted && !announced) {
      // At start a worker that never listened will not do better on a retry (bad config, port in use).
      logger.fatal({ worker: worker.process.pid, code, signal }, "worker failed to start; stopping");
      stop(1);
      return;
    }
    if (wasStarted) logger.warn({ worker: worker.process.pid, code, signal }, "worker exited; starting a replacement");
    else {
      // The others keep serving; the problems are in the failed worker's own log lines.
      failedStarts++;
      logger.error({ worker: worker.process.pid, code, attempts: failedStarts }, "replacement worker failed to start; retrying");
    }
    // Crash loops: at most one replacement per second, backing off to 30 s while starts fail.
    const wait = Math.max(0, lastFork + Math.min(30_000, 1000 * 2 ** failedStarts) - Date.now());
    setTimeout(() => {
      if (!stopping) {
        const next = fork();
        logger.info({ worker: next.process.pid, replaced: worker.process.pid }, "replacement worker started");
      }
    }, wait);
  });

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = [...alive];
    logger.info({ workers: workers.length }, "stopping workers: each finishes its in-flight requests");
    if (workers.length === 0) {
      logger.flush();
      process.exit(exitCode);
    }
    // Each worker's own SIGTERM handler drains it within shutdownTimeout.
    for (const worker of workers) worker.process.kill("SIGTERM");
    // A wedged worker never runs that handler: past the deadline, kill what is left.
    setTimeout(() => {
      const left = [...alive];
      logger.error({ workers: left.map((w) => w.process.pid), after: shutdownTimeout + KILL_GRACE_MS }, "workers did not stop in time; killing them");
      for (const worker of left) worker.process.kill("SIGKILL");
      logger.flush();
      process.exit(1);
    }, shutdownTimeout + KILL_GRACE_MS).unref();
  };
  process.once("SIGTERM", () => stop(0));
  process.once("SIGINT", () => stop(0));
  process.on("SIGHUP", () => broadcastReload());

  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, `started ${count} workers`);
}

/** Primary: ask every worker to reload its config and handlers. */
function broadcastReload(): void {
  for (const worker of Object.values(cluster.workers ?? {})) if (worker) sendIfConnected(worker, { type: RELOAD_MESSAGE });
}

/**
 * Run `reload` when asked: in a `--workers` worker, on the primary's broadcast; in a single
 * process, on SIGHUP (which would otherwise end the process). Returns a function that stops listening.
 */
export function onReloadRequest(reload: () => void): () => void {
  if (cluster.isWorker) {
    const listener = (message: { type?: string } | null) => {
      if (message?.type === RELOAD_MESSAGE) reload();
    };
    process.on("message", listener);
    return () => process.off("message", listener);
  }
  process.on("SIGHUP", reload);
  return () => process.off("SIGHUP", reload);
}
