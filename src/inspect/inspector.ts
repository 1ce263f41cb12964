/**
 * @module The live inspector's memory: the last turns the server answered (a ring buffer),
 * secrets redacted before anything is kept, and subscribers told of each new record
 * (server-sent events). A record is kept as its JSON text, capped in bytes, so memory is
 * bounded by bytes, not by what a body's shape costs as objects (92k small keys: ~12 MB).
 * Recording is best-effort: what cannot be copied (a cycle, a BigInt, a throwing getter)
 * becomes a marker, and a failure to record never reaches the request.
 */
import { SECRET_HEADERS } from "../auth/secret-headers.js";
import type { CoreAnswer, RequestInfo } from "../core/types.js";
import { copyRedacted, REDACTED } from "../logging/redact-value.js";
import type { Headers } from "../types.js";

export interface TurnRecord {
  id: number;
  time: string;
  method: string;
  path: string;
  /** Request headers, auth and signature values redacted. */
  headers: Record<string, string>;
  /** The request body as received (capped), parsed when it is JSON. */
  body: unknown;
  webhook?: string;
  platform?: string;
  /** What the turn asked for: `intent=order.pizza`. */
  asked?: string;
  route?: string;
  outcome?: RequestInfo["outcome"];
  turn?: unknown;
  reply?: unknown;
  status: number;
  /** The platform body answered. */
  response: unknown;
  ms: number;
  /** For a replay: the record it replayed, and the paths whose values changed. */
  replayOf?: number;
  changed?: string[];
  /** For a replay: what it ran (the handlers now, never the dedupe store) and with whose credentials. */
  replayNote?: string;
  /** Why no route matched, route by route (`send --explain`'s lines). */
  explanation?: string[];
  /** What the handler logged for this request. */
  logs?: RequestInfo["logs"];
  /** ms: checks, handler, reply; and the whole request. */
  timing?: RequestInfo["timing"];
}

export interface Inspector {
  /** Keeps a redacted copy; undefined when even that failed (the request is answered regardless). */
  record(entry: Omit<TurnRecord, "id" | "time">): TurnRecord | undefined;
  /** Each kept record's JSON text, oldest first. */
  listJson(): string[];
  get(id: number): TurnRecord | undefined;
  /** The raw request kept for replay (headers unredacted, never sent to the page). */
  original(id: number): { headers: Headers; body: Buffer } | undefined;
  keep(id: number, original: { headers: Headers; body: Buffer }): void;
  /** Told each new record's JSON text. */
  subscribe(listener: (json: string) => void): () => void;
}

const HIDDEN = [...SECRET_HEADERS, "x-inspect-token"];

interface InspectorOptions {
  /** @default 200 */
  limit?: number;
  /** Largest body kept for replay, in bytes. @default 65536 */
  bodyCap?: number;
  /** Largest record kept, in bytes of JSON (about): past it, values are `[truncated]`. @default 131072 */
  turnCap?: number;
  /** Configured secret values, scrubbed from every kept string and number. */
  secrets: () => readonly string[];
  /** Header names the config makes secret (a custom API-key or signature header). */
  secretHeaders?: () => readonly string[];
}

export function createInspector(options: InspectorOptions): Inspector {
  const limit = options.limit ?? 200;
  const cap = options.bodyCap ?? 65_536;
  const turnCap = options.turnCap ?? 131_072;
  const records: { id: number; json: string }[] = [];
  const originals = new Map<number, { headers: Headers; body: Buffer }>();
  const listeners = new Set<(json: string) => void>();
  let next = 0;
  return {
    record(entry) {
      let json: string;
      const id = ++next;
      try {
        const secretHeaders = new Set([...HIDDEN, ...(options.secretHeaders?.() ?? [])]);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(entry.headers)) headers[name] = secretHeaders.has(name) ? REDACTED : String(value);
        // Headers first, outside the budget: the page always shows them whole.
        const copy = copyRedacted({ ...entry, headers: {} }, { secrets: options.secrets(), secretHeaders }, turnCap) as TurnRecord;
        copy.headers = copyRedacted(headers, { secrets: options.secrets(), secretHeaders: new Set() }, 16_384) as Record<string, string>;
        json = JSON.stringify({ ...copy, id, time: new Date().toISOString() });
      } catch {
        // Unreachable by design (copyRedacted does not throw); kept so recording can never fail a request.
        return undefined;
      }
      records.push({ id, json });
      if (records.length > limit) originals.delete((records.shift() as { id: number }).id);
      for (const listener of listeners) {
        try {
          listener(json);
        } catch {
          // One reader's failure is its own (its stream is closed by its own handler).
        }
      }
      return JSON.parse(json) as TurnRecord;
    },
    listJson: () => records.map((r) => r.json),
    get(id) {
      const found = records.find((r) => r.id === id);
      return found && (JSON.parse(found.json) as TurnRecord);
    },
    original: (id) => originals.get(id),
    keep(id, original) {
      if (original.body.length <= cap && records.some((r) => r.id === id)) originals.set(id, original);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The body as the page shows it: parsed JSON, or the text, capped. */
export function bodyForPage(bytes: Buffer, cap = 65_536): unknown {
  const text = bytes.subarray(0, cap).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return bytes.length > cap ? `${text}… (${bytes.length} bytes)` : text;
  }
}

/** Dotted paths whose values differ between two JSON values (for the replay's highlights). */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) return [prefix || "(body)"];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
}

/** What a recorded answer tells about the turn, for the list. */
const round = (ms: number) => Math.round(ms * 100) / 100;

export function summarize(answer: CoreAnswer): Pick<TurnRecord, "webhook" | "platform" | "asked" | "route" | "outcome" | "turn" | "reply" | "logs" | "timing"> {
  const { info } = answer;
  const turn = info.turn;
  let asked: string | undefined;
  for (const key of ["intent", "action", "event", "tag"] as const) if (turn?.[key] !== undefined && asked === undefined) asked = `${key}=${turn[key]}`;
  const { raw: _raw, headers: _headers, ...shown } = turn ?? ({} as Record<string, unknown>);
  return {
    ...(info.webhook !== undefined ? { webhook: info.webhook } : {}),
    ...(info.platform !== undefined ? { platform: info.platform } : {}),
    ...(asked !== undefined ? { asked } : {}),
    ...(info.route !== undefined ? { route: info.route } : {}),
    ...(info.outcome !== undefined ? { outcome: info.outcome } : {}),
    ...(turn !== undefined ? { turn: shown } : {}),
    ...(info.reply !== undefined ? { reply: info.reply } : {}),
    ...(info.logs !== undefined ? { logs: info.logs } : {}),
    ...(info.timing !== undefined ? { timing: { checks: round(info.timing.checks), handler: round(info.timing.handler), reply: round(info.timing.reply) } } : {}),
  };
}
