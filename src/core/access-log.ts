/**
 * @module The one access-log line per request, written by every transport that serves HTTP.
 * Health probes arrive every few seconds from every orchestrator: their lines are debug only.
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

export function isProbe(url: string): boolean {
  return url === "/healthz" || url === "/readyz";
}

export function logAccess(logger: Logger, line: AccessLine): void {
  const probe = isProbe(line.url);
  if (!logger.isLevelEnabled(probe ? "debug" : "info")) return;
  logger[probe ? "debug" : "info"](
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
