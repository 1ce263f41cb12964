/**
 * @module The live inspector's memory: the last turns the server answered (a ring buffer,
 * bodies capped), secrets redacted before anything is kept, and subscribers told of each new
 * record (server-sent events). Replays run a recorded request through the current runtime.
 */
import { SECRET_HEADERS } from "../auth/secret-headers.js";
import type { CoreAnswer, RequestInfo } from "../core/types.js";
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
  /** Why no route matched, route by route (`send --explain`'s lines). */
  explanation?: string[];
  /** What the handler logged for this request. */
  logs?: RequestInfo["logs"];
  /** ms: checks, handler, reply; and the whole request. */
  timing?: RequestInfo["timing"];
}

export interface Inspector {
  record(entry: Omit<TurnRecord, "id" | "time">): TurnRecord;
  list(): TurnRecord[];
  get(id: number): TurnRecord | undefined;
  /** The raw request kept for replay (headers unredacted, never sent to the page). */
  original(id: number): { headers: Headers; body: Buffer } | undefined;
  keep(id: number, original: { headers: Headers; body: Buffer }): void;
  subscribe(listener: (record: TurnRecord) => void): () => void;
}

const REDACTED = "[redacted]";
const HIDDEN = new Set([...SECRET_HEADERS, "x-inspect-token"]);

interface InspectorOptions {
  /** @default 200 */
  limit?: number;
  /** Largest body kept, in bytes. @default 65536 */
  bodyCap?: number;
  /** Configured secret values, scrubbed from every kept string. */
  secrets: () => readonly string[];
}

export function createInspector(options: InspectorOptions): Inspector {
  const limit = options.limit ?? 200;
  const cap = options.bodyCap ?? 65_536;
  const records: TurnRecord[] = [];
  const originals = new Map<number, { headers: Headers; body: Buffer }>();
  const listeners = new Set<(record: TurnRecord) => void>();
  let next = 0;
  const scrub = (value: unknown): unknown => {
    if (value === undefined) return undefined;
    let text = JSON.stringify(value);
    if (text === undefined) return undefined;
    for (const secret of options.secrets()) if (secret.length >= 4) text = text.split(JSON.stringify(secret).slice(1, -1)).join(REDACTED);
    return JSON.parse(text) as unknown;
  };
  return {
    record(entry) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(entry.headers)) headers[name] = HIDDEN.has(name) ? REDACTED : String(value);
      const record = scrub({ ...entry, headers, id: ++next, time: new Date().toISOString() }) as TurnRecord;
      records.push(record);
      if (records.length > limit) originals.delete((records.shift() as TurnRecord).id);
      for (const listener of listeners) listener(record);
      return record;
    },
    list: () => [...records],
    get: (id) => records.find((r) => r.id === id),
    original: (id) => originals.get(id),
    keep(id, original) {
      if (original.body.length <= cap) originals.set(id, original);
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
