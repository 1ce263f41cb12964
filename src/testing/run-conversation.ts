/**
 * @module Conversation tests: a multi-turn script (YAML file or object) run through the real
 * pipeline in-process, the conversation's state carried from turn to turn as the platform
 * carries it (`conversation-state.ts`), each turn's expectations checked. Used by
 * `webhook-serve test` and exported from `webhook-serve/testing` as `runConversation`.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml } from "yaml";
import type { Reply } from "../types.js";
import { nextState, type ConversationState } from "./conversation-state.js";
import { createTestServer, type TestServerOptions } from "./create-test-server.js";

/** One turn: what the user does, and what must hold after it. */
export interface ConversationTurn {
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  text?: string;
  params?: Record<string, unknown>;
  lang?: string;
  expect?: {
    /** The reply's texts joined by "\n", or `{ matches: "regex" }`. */
    text?: string | { matches: string };
    /** Names of the contexts active after this turn (exactly these). */
    contexts?: string[];
    /** Session values after this turn (these keys; others may exist; `null`: must be absent). */
    session?: Record<string, unknown>;
    /** The matched route's label, as `routes` prints it; `none` when none matched. */
    route?: string;
    /** HTTP status. @default any status below 400 */
    status?: number;
    /** Dialogflow CX: the current page after this turn (its full resource name, or its last segment). */
    page?: string;
  };
}

export interface ConversationSpec {
  /** The routing file, relative to the conversation file. @default ./config.yaml (from the cwd) */
  config?: string;
  /** The webhook's path; optional when the config has one webhook. */
  webhook?: string;
  /** For `platform: auto` webhooks: which format to send. */
  platform?: string;
  /** @default "conversation-test" */
  session?: string;
  turns: ConversationTurn[];
}

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface TurnResult {
  index: number;
  /** `intent=order.pizza`: what the turn sent. */
  label: string;
  ok: boolean;
  status: number;
  route: string | undefined;
  ms: number;
  mismatches: Mismatch[];
}

export interface ConversationResult {
  /** The file, or "(inline)". */
  name: string;
  ok: boolean;
  turns: TurnResult[];
  /** Every file the run read: the conversation, its config, the handlers and their local imports. */
  files: string[];
}

interface RunOptions extends TestServerOptions {
  /** Folder a conversation given as an object resolves `config` against. @default process.cwd() */
  dir?: string;
}

/**
 * Run one conversation. Every turn runs, also after a failed one (state carries on), so one
 * run reports every mismatch.
 * @example
 * const result = await runConversation("test/order.conversation.yaml");
 * expect(result.ok).toBe(true);
 */
export async function runConversation(input: string | ConversationSpec, options: RunOptions = {}): Promise<ConversationResult> {
  const spec = typeof input === "string" ? readSpec(input) : input;
  const dir = typeof input === "string" ? dirname(resolve(input)) : (options.dir ?? process.cwd());
  const configFile = spec.config !== undefined ? resolve(dir, spec.config) : resolve(process.cwd(), "config.yaml");
  const server = await createTestServer(configFile, options);
  let state: ConversationState = { sessionId: spec.session ?? "conversation-test", contexts: [], values: {} };
  const turns: TurnResult[] = [];
  const files = [...(typeof input === "string" ? [resolve(input)] : []), ...server.pipeline.runtime.files];
  try {
    for (const [index, turn] of spec.turns.entries()) {
      const started = performance.now();
      const { expect: want, ...sent } = turn;
      const res = await server.send({
        ...(spec.webhook !== undefined ? { path: spec.webhook } : {}),
        ...(spec.platform !== undefined ? { platform: spec.platform } : {}),
        ...sent,
        sessionId: state.sessionId,
        contexts: state.contexts,
        values: state.values,
        ...(state.page !== undefined ? { page: state.page } : {}),
      });
      state = nextState(state, res.reply);
      const mismatches = check(want, res.status, res.route, res.reply, state);
      turns.push({ index, label: labelOf(turn), ok: mismatches.length === 0, status: res.status, route: res.route, ms: Math.round((performance.now() - started) * 10) / 10, mismatches });
    }
  } finally {
    await server.close();
  }
  return { name: typeof input === "string" ? input : "(inline)", ok: turns.every((t) => t.ok), turns, files };
}

function readSpec(file: string): ConversationSpec {
  const spec = parseYaml(readFileSync(file, "utf8")) as ConversationSpec | null;
  if (spec === null || typeof spec !== "object" || !Array.isArray(spec.turns)) throw new Error(`${file}: a conversation needs a turns: list`);
  return spec;
}

function labelOf(turn: ConversationTurn): string {
  for (const key of ["intent", "action", "event", "tag"] as const) if (turn[key] !== undefined) return `${key}=${turn[key]}`;
  return turn.text !== undefined ? `text=${JSON.stringify(turn.text)}` : "(turn)";
}

/** The reply's texts as one string, as the user would read them. */
function textOf(reply: Reply | null | undefined): string | undefined {
  const text = reply?.text;
  if (text === undefined) return undefined;
  if (typeof text === "string") return text;
  return Array.isArray(text) ? text.join("\n") : undefined;
}

function check(want: ConversationTurn["expect"], status: number, route: string | undefined, reply: Reply | null | undefined, state: ConversationState): Mismatch[] {
  const out: Mismatch[] = [];
  if (want?.status !== undefined ? status !== want.status : status >= 400) out.push({ what: "status", expected: want?.status ?? "< 400", actual: status });
  if (want === undefined) return out;
  if (want.text !== undefined) {
    const actual = textOf(reply);
    const ok = typeof want.text === "string" ? actual === want.text : actual !== undefined && new RegExp(want.text.matches).test(actual);
    if (!ok) out.push({ what: "text", expected: want.text, actual });
  }
  if (want.route !== undefined && (route ?? "none") !== want.route) out.push({ what: "route", expected: want.route, actual: route ?? "none" });
  if (want.contexts !== undefined) {
    const actual = state.contexts.map((c) => c.name).sort();
    if (!isDeepStrictEqual(actual, [...want.contexts].sort())) out.push({ what: "contexts", expected: want.contexts, actual });
  }
  if (want.page !== undefined) {
    const page = state.page;
    if (page === undefined || (page !== want.page && !page.endsWith(`/${want.page}`))) out.push({ what: "page", expected: want.page, actual: page ?? "(start page)" });
  }
  for (const [key, value] of Object.entries(want.session ?? {})) {
    const actual = state.values[key];
    if (value === null ? actual !== undefined : !isDeepStrictEqual(actual, value)) out.push({ what: `session.${key}`, expected: value === null ? "(absent)" : value, actual });
  }
  return out;
}
