/**
 * @module Serve options by precedence: CLI flag > environment (PORT, HOST, LOG_LEVEL) >
 * config file > default. Pure, so it is unit-tested without a process.
 */
import { logLevels } from "../config/log-levels.js";
import { DURATION_HINT, parseDuration } from "../config/units.js";
import type { LogLevel, ServerConfig } from "../config/types.js";

export interface CliFlags {
  port?: string;
  host?: string;
  logLevel?: string;
  /** `--drain-delay <duration>`: `server.drainDelay` for this run. */
  drainDelay?: string;
}

interface ResolvedOptions {
  host: string;
  port: number;
  logLevel: LogLevel;
  /** ms /readyz answers 503 on SIGTERM before the listener closes. */
  drainDelay: number;
}

/**
 * `drainDelay: auto` off a terminal: long enough for a load balancer probing /readyz every
 * second or two to see two failures and stop sending (haproxy `inter 1s fall 2`, Kubernetes
 * `periodSeconds: 1`, `failureThreshold: 2`) before the listener closes.
 */
const AUTO_DRAIN_DELAY = 5000;

const LEVELS: readonly LogLevel[] = logLevels;

/** Returns the options, or the list of problems with flags and environment values. */
export function resolveServeOptions(
  flags: CliFlags,
  env: Record<string, string | undefined>,
  file: Pick<ServerConfig, "host" | "port" | "logLevel" | "drainDelay">,
  /** stdout is a terminal: someone watches the process, no load balancer waits on it. */
  terminal = false,
): { ok: true; options: ResolvedOptions } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const pick = (flag: string | undefined, envName: string): { value: string; from: string } | undefined => {
    if (flag !== undefined) return { value: flag, from: `--${envName === "LOG_LEVEL" ? "log-level" : envName.toLowerCase()}` };
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, from: envName };
    return undefined;
  };

  let port = file.port;
  const portIn = pick(flags.port, "PORT");
  if (portIn) {
    // Number("") and Number(" ") are 0 (any free port): a blank value is a mistake, not a request for one.
    const n = /^\s*\d+\s*$/.test(portIn.value) ? Number(portIn.value) : Number.NaN;
    if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${portIn.from}: "${portIn.value}" is not a port number (0-65535)`);
    else port = n;
  }
  const host = pick(flags.host, "HOST")?.value ?? file.host;
  let logLevel = file.logLevel;
  const levelIn = pick(flags.logLevel, "LOG_LEVEL");
  if (levelIn) {
    if ((LEVELS as readonly string[]).includes(levelIn.value)) logLevel = levelIn.value as LogLevel;
    else problems.push(`${levelIn.from}: "${levelIn.value}" must be one of ${LEVELS.join(", ")}`);
  }
  let drainDelay = file.drainDelay === "auto" ? (terminal ? 0 : AUTO_DRAIN_DELAY) : file.drainDelay;
  if (flags.drainDelay !== undefined) {
    const given = parseDuration(/^\s*\d+\s*$/.test(flags.drainDelay) ? Number(flags.drainDelay) : flags.drainDelay);
    if (given === undefined) problems.push(`--drain-delay: "${flags.drainDelay}" ${DURATION_HINT}`);
    else drainDelay = given;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options: { host, port, logLevel, drainDelay } };
}
