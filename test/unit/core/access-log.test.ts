import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { formatAccessLine, logAccess, type AccessLine } from "../../../src/core/access-log.js";
import { createServerLogger } from "../../../src/logging/logger.js";

const lines: AccessLine[] = [
  { reqId: "req-1", method: "POST", url: "/dialogflow", ip: "127.0.0.1", status: 200, ms: 1.234, info: { webhook: "/dialogflow", route: "intent=order.pizza" } },
  { reqId: "req-2", method: "GET", url: '/odd "path"\\ü\u0001', status: 404, ms: 0.05, info: {} },
  { reqId: "lb-7", method: "POST", url: "/x?key=abc", ip: "::1", status: 503, ms: Number.NaN },
  // Characters JSON escapes (a tab, DEL is not one, a lone surrogate) and odd numbers.
  { reqId: "req-3", method: "POST", url: "/tab\there\u007f\ud800", status: 200, ms: Number.POSITIVE_INFINITY, info: { webhook: "/w", route: 'text="hi"' } },
  { reqId: "req-4", method: "POST", url: "/", status: 200, ms: -0, info: { webhook: "/", route: "intent=ü" } },
];

/** What pino itself writes for the same call, through a logger like the server's (`base: { pid }`). */
function pinoLine(level: "info" | "debug", line: AccessLine): string {
  let out = "";
  const logger = pino({ level: "debug", base: { pid: process.pid } }, { write: (s: string) => (out += s) });
  logger[level]({ reqId: line.reqId, method: line.method, url: line.url, ip: line.ip, webhook: line.info?.webhook, route: line.info?.route, status: line.status, ms: Math.round(line.ms * 10) / 10 }, "request");
  return out;
}

describe("the access-log line", () => {
  it.each(lines.map((l) => [l.url, l] as const))("%s: the same JSON pino writes, key for key and in order", (_url, line) => {
    for (const level of ["info", "debug"] as const) {
      const theirs = pinoLine(level, line);
      const time = (JSON.parse(theirs) as { time: number }).time;
      expect(formatAccessLine(level, line, time, process.pid)).toBe(theirs);
    }
  });

  it("goes through the server logger's secret scrubbing, and probes only at debug", () => {
    let out = "";
    const destination = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    const server = createServerLogger({ level: "info", secrets: ["abc-secret"], destination: { write: (s: string) => destination.write(s) } });
    const log = { logger: server.logger, accessLines: server.destination };
    logAccess(log, { reqId: "r", method: "GET", url: "/hook?key=abc-secret", status: 200, ms: 1 });
    logAccess(log, { reqId: "r", method: "GET", url: "/healthz", status: 200, ms: 1 });
    const written = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 30, url: "/hook?key=[redacted]", status: 200, msg: "request" });
  });

  it("a logger passed in by an embedder keeps its own format (pino's own call)", () => {
    let out = "";
    const logger = pino({ level: "info", messageKey: "message", base: { service: "bot" } }, { write: (s: string) => (out += s) });
    logAccess({ logger }, lines[0] as AccessLine);
    expect(JSON.parse(out)).toMatchObject({ service: "bot", message: "request", route: "intent=order.pizza" });
  });
});
