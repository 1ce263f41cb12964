/**
 * @module `webhook-serve send <config> --path /x --intent I --param k=v --text "…"`:
 * builds the platform's request with its sample(), runs it through the core in-process
 * (no port, no HTTP server) and prints the status and the platform reply.
 */
import { STATUS_CODES } from "node:http";
import { buildSampleRequest } from "../../core/build-sample-request.js";
import { createPipeline } from "../../core/handle.js";
import { handleBytes } from "../../core/handle-bytes.js";
import { createLogger } from "../../server/logger.js";
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
  let request;
  try {
    request = buildSampleRequest(webhook, {
      ...pick(flags, ["intent", "action", "event", "tag", "text", "platform", "sessionId"]),
      params,
    });
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const pipeline = createPipeline(runtime, createLogger({ level: "warn", secrets: config.secrets, pretty: false, destination: { write: (line: string) => io.err(line) } }));
  const res = await handleBytes(pipeline, { method: "POST", url: webhook.path, headers: request.headers, body: Buffer.from(request.payload) });
  await pipeline.close();
  io.out(`${res.status} ${STATUS_CODES[res.status] ?? ""}`.trimEnd());
  if (res.body) io.out(formatBody(res.body));
  return res.status < 400 ? 0 : 1;
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
