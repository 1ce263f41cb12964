/**
 * @module The process logger: pino JSON lines (pretty when asked or on a TTY), with every
 * configured secret value scrubbed from each line before it is written.
 */
import { createRequire } from "node:module";
import { pino, type Logger, type DestinationStream } from "pino";
import type PinoPretty from "pino-pretty";
import { SECRET_HEADERS } from "../auth/secret-headers.js";
import type { LogLevel } from "../config/types.js";
import { redactLogged } from "./redact-value.js";

interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output (pino-pretty). @default stdout is a TTY */
  pretty?: boolean;
  /** Values that must never be written (API keys, passwords, signing secrets). */
  secrets?: readonly string[];
  /** Header names the config makes secret (a custom API-key or signature header), hidden wherever a logged object has them. */
  secretHeaders?: readonly string[];
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

const REDACT = [
  ...SECRET_HEADERS,
  // Also in the turn (`log.info({ turn })`) and a bare headers object (`log.info(turn.headers)`).
  // Named paths only: a `*.headers` wildcard costs ~20 µs on every line (fast-redact walks
  // every key), more than the rest of a request; configured secret values are scrubbed anyway.
].flatMap((name) => [`headers["${name}"]`, `req.headers["${name}"]`, `request.headers["${name}"]`, `turn.headers["${name}"]`, `["${name}"]`]);

// Loaded only for pretty output: JSON servers do not pay its start-up.
const load = createRequire(import.meta.url);
const pretty = (options: PinoPretty.PrettyOptions) => (load("pino-pretty") as typeof PinoPretty)(options);

// eslint-disable-next-line no-control-regex -- control characters are what it matches
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * The message as pino-pretty prints it, with newlines and other control characters escaped
 * (`\n`, `\u001b`): a handler's message (or a value it logs from a request) cannot forge a
 * line, or colours, in human-readable output. JSON output escapes them already.
 */
export function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const message = log[messageKey];
  if (typeof message !== "string" && typeof message !== "number" && typeof message !== "boolean") return "";
  return String(message).replace(CONTROL, (char) => (char === "\n" ? "\\n" : char === "\r" ? "\\r" : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** Colour on a terminal unless NO_COLOR is set or FORCE_COLOR is 0 (https://no-color.org). */
function useColor(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0" || env.FORCE_COLOR === "false") return false;
  return process.stdout.isTTY === true;
}

/** A logger with what only its creator holds: the stream under it, and the list of secrets it scrubs. */
interface ServerLogger {
  logger: Logger;
  /**
   * What `logger` writes to, secrets scrubbed. Its lines have a known shape: the access line is
   * written here as pino would write it, without pino's per-line work (core/access-log.ts).
   */
  destination: DestinationStream;
  /**
   * After a reload: scrub the new config's secrets too (a rotated key, a new webhook). The old
   * ones stay on the list: lines about requests that started before the swap may still carry them.
   * `headers`: the new config's secret header names.
   */
  addSecrets(secrets: readonly string[], headers?: readonly string[]): void;
}

/** The logger alone, for code that writes no access line and adds no secret later. */
export function createLogger(options: LoggerOptions): Logger {
  return createServerLogger(options).logger;
}

export function createServerLogger(options: LoggerOptions): ServerLogger {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const destination = scrubbing(options.destination ?? (usePretty ? pretty({ colorize: useColor(), sync: true, messageFormat: prettyMessage }) : batchedDestination(1)), options.secrets ?? []);
  // Secret values are left to the destination's scrubber (every line); the hook adds header names.
  const redaction = { secrets: [] as readonly string[], secretHeaders: new Set([...SECRET_HEADERS, ...(options.secretHeaders ?? [])]) };
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
      hooks: {
        // A credential header at any depth of what a handler logs (`{ seen: turn.headers }`), a
        // wrong key included: named paths cannot reach it, and the scrubber knows only right ones.
        // Only calls with an object pay; the access line does not come through here.
        logMethod(args, method) {
          if (typeof args[0] === "object" && args[0] !== null) args[0] = redactLogged(args[0], redaction) as object;
          method.apply(this, args);
        },
      },
    },
    destination,
  );
  return {
    logger,
    destination,
    addSecrets: (secrets, headers = []) => {
      destination.add(secrets);
      for (const name of headers) redaction.secretHeaders.add(name.toLowerCase());
    },
  };
}

/** How long a line may wait in the buffer when traffic is low. */
const FLUSH_MS = 100;
/** Lines are handed to the stream in batches of about this many characters. */
const BATCH = 4096;

/** Batches not yet handed to their stream, written out if the process exits without `logger.flush()`. */
const unwritten = new Set<() => void>();

/** Writes `writeNow`'s batch at process exit; the exit hook is installed with the first batch, not on import. */
function writeAtExit(writeNow: () => void): void {
  if (unwritten.size === 0) process.once("exit", writeAll);
  unwritten.add(writeNow);
}

function writeAll(): void {
  for (const writeNow of unwritten) {
    try {
      writeNow();
    } catch {
      // stdout is gone (a closed pipe): nothing can be written any more.
    }
  }
}

/**
 * A file descriptor (stdout for the server), written in batches of 4 KB (or every 100 ms): one
 * write per line cost a thread-pool round trip per request, which at level info cost more than
 * the rest of a static reply. The batch is a plain string here, not SonicBoom's `minLength`
 * buffer: that one measures the UTF-8 length of its whole buffer on every line (1.9 µs per
 * line against 0.3). A batch is written synchronously (one `write(2)` per ~25 lines), as pino
 * writes by default: an asynchronous write still in flight is lost when the process exits, a
 * synchronous one is already out. `flushSync` (the shutdown paths' `logger.flush()`) and
 * process exit write the rest.
 * @see https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
 */
export function batchedDestination(fd: number): DestinationStream & { flush(): void; flushSync(): void } {
  const stream = pino.destination({ dest: fd, sync: true });
  let batch = "";
  const handOver = () => {
    if (batch === "") return;
    stream.write(batch);
    batch = "";
  };
  const writeNow = () => {
    handOver();
    stream.flushSync();
  };
  writeAtExit(writeNow);
  // Only when something was logged since: an idle server writes nothing.
  setInterval(handOver, FLUSH_MS).unref();
  return {
    write(line: string) {
      batch += line;
      if (batch.length >= BATCH) handOver();
      return true;
    },
    flush: handOver,
    flushSync: writeNow,
  };
}

interface Scrubber extends DestinationStream {
  add(secrets: readonly string[]): void;
  flush(): void;
  flushSync(): void;
}

type Flushable = DestinationStream & { flush?: () => void; flushSync?: () => void };

/** A JSON string (kept as it is, but for what is inside) or a JSON number. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Secrets out of one JSON line: inside strings replaced, and a number whose digits hold one
 * (`20241207` in `"orderNo":202412071`) replaced whole by a string, so the line stays JSON.
 */
function scrubLine(line: string, needles: readonly string[]): string {
  return line.replace(JSON_TOKEN, (token) => {
    if (!needles.some((needle) => token.includes(needle))) return token;
    if (!token.startsWith('"')) return '"[redacted]"';
    let out = token;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join("[redacted]");
    return out;
  });
}

/** Replace secret values (and their JSON-escaped forms) in each line before writing it. */
function scrubbing(inner: DestinationStream, initial: readonly string[]): Scrubber {
  const known = new Set<string>();
  let needles: string[] = [];
  const scrubber: Scrubber = {
    add(secrets) {
      // Very short values would blank out ordinary words.
      for (const secret of secrets) if (secret.length >= 3) known.add(secret);
      needles = [...new Set([...known].flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].sort((a, b) => b.length - a.length);
    },
    write(line: string) {
      inner.write(needles.some((needle) => line.includes(needle)) ? scrubLine(line, needles) : line);
    },
    // `logger.flush()` is called right before the process exits (shutdown, a fault, a worker's
    // end): the buffered lines are written before it returns, not by a write still in flight.
    flush: () => {
      const stream = inner as Flushable;
      if (stream.flushSync) stream.flushSync();
      else stream.flush?.();
    },
    flushSync: () => (inner as Flushable).flushSync?.(),
  };
  scrubber.add(initial);
  return scrubber;
}
