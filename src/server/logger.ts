/**
 * @module The process logger: pino JSON lines (pretty when asked or on a TTY), with every
 * configured secret value scrubbed from each line before it is written.
 */
import { createRequire } from "node:module";
import { pino, type Logger, type DestinationStream } from "pino";
import type PinoPretty from "pino-pretty";
import type { LogLevel } from "../config/types.js";

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output (pino-pretty). @default stdout is a TTY */
  pretty?: boolean;
  /** Values that must never be written (API keys, passwords, signing secrets). */
  secrets?: readonly string[];
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/** Header names whose values never reach a log line, whatever logs them. */
const REDACT = [
  "authorization",
  "api-key",
  "x-api-key",
  "x-hub-signature",
  "x-hub-signature-256",
  "webhook-signature",
  "cookie",
].flatMap((name) => [`headers["${name}"]`, `req.headers["${name}"]`, `request.headers["${name}"]`]);

// Loaded only for pretty output: JSON servers do not pay its start-up.
const load = createRequire(import.meta.url);
const pretty = (options: PinoPretty.PrettyOptions) => (load("pino-pretty") as typeof PinoPretty)(options);

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  let destination: DestinationStream =
    options.destination ?? (usePretty ? pretty({ colorize: process.stdout.isTTY === true, sync: true }) : pino.destination({ dest: 1, sync: false }));
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 3);
  if (secrets.length > 0) destination = scrubbing(destination, secrets);
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** Replace secret values (and their JSON-escaped forms) in each line before writing it. */
function scrubbing(inner: DestinationStream, secrets: readonly string[]): DestinationStream {
  const needles = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  return {
    write(line: string) {
      let out = line;
      for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join("[redacted]");
      inner.write(out);
    },
  };
}
