/**
 * @module The one access-log line per request, written by every transport that serves HTTP.
 * Health probes arrive every few seconds from every orchestrator: their lines are debug only.
 * For the server's own logger (plain pino JSON, `base: { pid }`) the line is formatted here, the
 * same JSON pino would write, at a third of pino's cost per line (it is the costliest step of a
 * request at level info), and written to that logger's destination, which its creator passes
 * along as `accessLines`; any other logger (one passed to `createServer`) gets `logger.info`.
 */
import type { Logger } from "pino";
import type { RequestInfo } from "./types.js";

export interface AccessLine {
  reqId: string;
  method: string;
  url: string;
  ip?: string;
  status: number;
  ms: number;
  info?: RequestInfo;
}

function isProbe(url: string): boolean {
  return url === "/healthz" || url === "/readyz";
}

/** Where access lines go: the pipeline is one (its logger, and the server logger's destination when it made that logger). */
export interface AccessLog {
  readonly logger: Logger;
  /** The destination of a logger from `createServerLogger`, whose lines are pino JSON with `pid`; undefined: through `logger`. */
  readonly accessLines?: { write(line: string): void } | undefined;
}

/** pino's level numbers. */
const LEVEL = { info: 30, debug: 20 } as const;

/** Printable ASCII, no quote or backslash: JSON.stringify would only add the quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** JSON for a string field, or nothing when it is absent (pino leaves undefined keys out). */
const field = (name: string, value: string | undefined): string => {
  if (value === undefined) return "";
  return PLAIN.test(value) ? `,"${name}":"${value}"` : `,"${name}":${JSON.stringify(value)}`;
};

/** A number as JSON writes it (NaN and Infinity: null). */
const number = (value: number): string => (Number.isFinite(value) ? `${value}` : "null");

/** The line pino writes for `logger[level]({ reqId, …, ms }, "request")`. */
export function formatAccessLine(level: "info" | "debug", line: AccessLine, time: number, pid: number): string {
  return (
    `{"level":${LEVEL[level]},"time":${time},"pid":${pid}` +
    field("reqId", line.reqId) +
    field("method", line.method) +
    field("url", line.url) +
    field("ip", line.ip) +
    field("webhook", line.info?.webhook) +
    field("route", line.info?.route) +
    `,"status":${number(line.status)},"ms":${number(Math.round(line.ms * 10) / 10)},"msg":"request"}\n`
  );
}

export function logAccess({ logger, accessLines }: AccessLog, line: AccessLine): void {
  const probe = isProbe(line.url);
  const level = probe ? "debug" : "info";
  if (!logger.isLevelEnabled(level)) return;
  if (accessLines !== undefined) return accessLines.write(formatAccessLine(level, line, Date.now(), process.pid));
  logger[level](
    {
      reqId: line.reqId,
      method: line.method,
      url: line.url,
      ip: line.ip,
      webhook: line.info?.webhook,
      route: line.info?.route,
      status: line.status,
      ms: Math.round(line.ms * 10) / 10,
    },
    "request",
  );
}
