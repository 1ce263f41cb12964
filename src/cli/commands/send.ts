/**
 * @module `webhook-serve send <config> --path /x --intent I --param k=v --text "…"`:
 * builds the platform's request with its sample() (or sends a saved body, `--body file.json`,
 * as Probot's `receive -f`), adds what the webhook's auth requires, runs it through the core
 * in-process (no port, no HTTP server) and prints the status and the platform reply;
 * `--explain` first prints, per route, whether it matched and the condition that did not.
 */
import { STATUS_CODES } from "node:http";
import { readFileSync } from "node:fs";
import type { WebhookConfig } from "../../config/types.js";
import { authenticatedHeaders, buildSampleRequest } from "../../core/build-sample-request.js";
import { detectAdapter, getAdapter } from "../../platforms/registry.js";
import { explainRoutes, formatVerdicts } from "../../routing/explain-route.js";
import { createPipeline } from "../../core/handle.js";
import { handleBytes } from "../../core/handle-bytes.js";
import { createLogger } from "../../logging/logger.js";
import { loadForCli, type CliIo } from "../load-for-cli.js";

export interface SendFlags {
  path?: string;
  intent?: string;
  action?: string;
  event?: string;
  tag?: string;
  param?: string[];
  text?: string;
  platform?: string;
  sessionId?: string;
  /** A saved request body (JSON file) to send instead of a sample. */
  body?: string;
  /** Print, per route, whether it matched and why not. */
  explain?: boolean;
}

export async function sendCommand(file: string, flags: SendFlags, io: CliIo): Promise<number> {
  // As under --watch: a reply the platform would refuse is reported, not printed as a success.
  const loaded = await loadForCli(file, io, { checkReplies: true });
  if (!loaded) return 1;
  const { config, runtime } = loaded;
  const webhook = flags.path ? config.webhooks.find((w) => w.path === flags.path) : config.webhooks.length === 1 ? config.webhooks[0] : undefined;
  if (!webhook) {
    io.err(flags.path ? `no webhook at ${flags.path}; paths: ${config.webhooks.map((w) => w.path).join(", ")}` : "--path is required when the config has several webhooks");
    return 1;
  }
  const params: Record<string, unknown> = {};
  for (const pair of flags.param ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      io.err(`--param ${pair}: expected name=value`);
      return 1;
    }
    params[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
  }
  let request: { payload: string; headers: Record<string, string> };
  try {
    request = flags.body !== undefined ? savedRequest(webhook, flags.body) : buildSampleRequest(webhook, { ...pick(flags, ["intent", "action", "event", "tag", "text", "platform", "sessionId"]), params });
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const pipeline = createPipeline(runtime, createLogger({ level: "warn", secrets: config.secrets, pretty: false, destination: { write: (line: string) => io.err(line) } }));
  const res = await handleBytes(pipeline, { method: "POST", url: webhook.path, headers: request.headers, body: Buffer.from(request.payload) });
  await pipeline.close();
  if (flags.explain) {
    const { turn } = res.info;
    const routes = runtime.webhooks.get(webhook.path)?.config.routes ?? [];
    if (turn === undefined) io.out(`(no turn: the request was refused before routing)`);
    else for (const line of formatVerdicts(explainRoutes(routes, turn))) io.out(line);
    io.out("");
  }
  io.out(`${res.status} ${STATUS_CODES[res.status] ?? ""}`.trimEnd());
  if (res.body) io.out(formatBody(res.body));
  return res.status < 400 ? 0 : 1;
}

/** A saved body, sent byte for byte, with the headers the webhook's auth requires for it. */
function savedRequest(webhook: WebhookConfig, file: string): { payload: string; headers: Record<string, string> } {
  let payload: string;
  try {
    payload = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--body ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    throw new Error(`--body ${file}: not JSON`);
  }
  const adapter = webhook.platform === "auto" ? detectAdapter(body) : getAdapter(webhook.platform);
  if (adapter === undefined) throw new Error(`--body ${file}: matches none of the platforms platform: auto tries`);
  return { payload, headers: authenticatedHeaders(webhook, adapter, payload) };
}

/** `42` → 42, `true` → true, `{"a":1}` → object, anything else stays a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function formatBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key];
  return out;
}
