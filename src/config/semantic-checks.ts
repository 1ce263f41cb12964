/**
 * @module The checks on the file a JSON schema cannot make, each a problem at its YAML path:
 * two webhooks on one path, trustProxy addresses proxy-addr refuses, dedupe stores that are
 * not a URL, a global concurrency limit without a Redis, `transport: websocket` on a platform
 * without a socket framing or with a body signature (frames carry none). What only compiling
 * finds (filters, dedupe keys, secrets) the runtime build reports (runtime/build-runtime.ts),
 * compiling once.
 */
import proxyAddr from "proxy-addr";
import { allAdapters, getAdapter } from "../platforms/registry.js";
import type { PathIssue } from "./issue-path.js";
import type { RawConfig, RawWebhook } from "./raw-config.js";

type RawServer = RawConfig["server"];

export function semanticIssues(raw: RawConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  serverIssues(raw.server, issues);
  globalLimitIssues(raw, issues);
  const seen = new Map<string, number>();
  raw.webhooks.forEach((webhook, index) => {
    const first = seen.get(webhook.path);
    if (first === undefined) seen.set(webhook.path, index);
    else issues.push({ path: ["webhooks", index, "path"], message: `duplicate path "${webhook.path}" (also used by webhooks[${first}])` });
    if (webhook.transport === "websocket") transportIssues(webhook, index, issues);
  });
  return issues;
}

function serverIssues(server: RawServer, issues: PathIssue[]): void {
  if (typeof server.trustProxy === "string") {
    // What Fastify will compile at start, so a typo is a config problem with its line.
    for (const entry of server.trustProxy.split(",").map((s) => s.trim())) {
      try {
        proxyAddr.compile(entry);
      } catch {
        issues.push({ path: ["server", "trustProxy"], message: `"${entry}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal` });
      }
    }
  }
  const store = server.dedupe?.store;
  if (store !== undefined && store !== "memory" && !URL.canParse(store)) issues.push({ path: ["server", "dedupe", "store"], message: "is not a valid redis URL" });
}

/** A WebSocket carries only platforms that frame their events, and auth the upgrade's headers can pass. */
function transportIssues(webhook: RawWebhook, index: number, issues: PathIssue[]): void {
  if (getAdapter(webhook.platform)?.socket === undefined) {
    const framed = allAdapters().filter((a) => a.socket !== undefined).map((a) => a.name);
    issues.push({ path: ["webhooks", index, "transport"], message: `platform ${webhook.platform} has no WebSocket framing (platforms with one: ${framed.join(", ")})` });
  }
  // Frames are checked against the upgrade's headers: a body signature can never match.
  if (webhook.auth?.signature !== undefined) issues.push({ path: ["webhooks", index, "auth", "signature"], message: "frames on a WebSocket carry no signature: with transport: websocket use apiKey or basic, checked on the upgrade" });
}

/** A global concurrency limit is counted in the Redis the dedupe store uses. */
function globalLimitIssues(raw: RawConfig, issues: PathIssue[]): void {
  const store = raw.server.dedupe?.store ?? "";
  if (/^rediss?:\/\//i.test(store)) return;
  raw.webhooks.forEach((webhook, w) =>
    (webhook.routes ?? []).forEach((route, r) => {
      if (typeof route.concurrency === "object" && route.concurrency.scope === "global") {
        issues.push({ path: ["webhooks", w, "routes", r, "concurrency", "scope"], message: "scope: global needs a Redis to count in: set server.dedupe.store to a redis:// URL" });
      }
    }),
  );
}
