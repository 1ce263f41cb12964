/**
 * @module The checks a JSON schema cannot make, each a problem at its YAML path: two webhooks
 * on one path, filter keys and dedupe keys that do not parse, patterns the router cannot
 * compile, Standard Webhooks secrets that are not `whsec_…`, trustProxy addresses proxy-addr
 * refuses, dedupe stores that are not a URL, and `transport: websocket` on a platform without a
 * socket framing or with a body signature (frames carry none). Each check is the one the running server
 * makes, so a config that passes here also starts.
 */
import proxyAddr from "proxy-addr";
import { standardWebhooksKey } from "../auth/standard-webhooks.js";
import { compileKey } from "../dedupe/dedupe-key.js";
import { allAdapters, getAdapter } from "../platforms/registry.js";
import { compileRegExp } from "../routing/filters.js";
import { checkPath } from "../routing/json-path.js";
import type { PathIssue, PathSegment } from "./issue-path.js";
import type { RawConfig, RawFilter, RawServer, RawWebhook } from "./raw-config.js";

export function semanticIssues(raw: RawConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const attempt = (path: PathSegment[], check: () => unknown) => {
    try {
      check();
    } catch (error) {
      issues.push({ path, message: (error as Error).message });
    }
  };
  serverIssues(raw.server, attempt, issues);
  globalLimitIssues(raw, issues);
  const seen = new Map<string, number>();
  raw.webhooks.forEach((webhook, index) => {
    const path: PathSegment[] = ["webhooks", index];
    const first = seen.get(webhook.path);
    if (first === undefined) seen.set(webhook.path, index);
    else issues.push({ path: [...path, "path"], message: `duplicate path "${webhook.path}" (also used by webhooks[${first}])` });
    webhookIssues(webhook, path, attempt, issues);
  });
  return issues;
}

type Attempt = (path: PathSegment[], check: () => unknown) => void;

function serverIssues(server: RawServer | undefined, attempt: Attempt, issues: PathIssue[]): void {
  if (typeof server?.trustProxy === "string") {
    // What Fastify will compile at start, so a typo is a config problem with its line.
    for (const entry of server.trustProxy.split(",").map((s) => s.trim())) {
      try {
        proxyAddr.compile(entry);
      } catch {
        issues.push({ path: ["server", "trustProxy"], message: `"${entry}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal` });
      }
    }
  }
  const store = server?.dedupe?.store;
  if (store !== undefined && store !== "memory" && !URL.canParse(store)) issues.push({ path: ["server", "dedupe", "store"], message: "is not a valid redis URL" });
}

function webhookIssues(webhook: RawWebhook, path: PathSegment[], attempt: Attempt, issues: PathIssue[]): void {
  const signature = webhook.auth?.signature;
  if (signature?.scheme === "standard-webhooks") {
    if (signature.secrets) signature.secrets.forEach((secret, i) => attempt([...path, "auth", "signature", "secrets", i], () => standardWebhooksKey(secret)));
    else if (signature.secret !== undefined) attempt([...path, "auth", "signature", "secret"], () => standardWebhooksKey(signature.secret as string));
  }
  // What the deduper will compile.
  if (webhook.dedupe) attempt([...path, "dedupe", "key"], () => compileKey((webhook.dedupe as { key: string }).key));
  if (webhook.transport === "websocket") transportIssues(webhook, path, issues);
  (webhook.routes ?? []).forEach((route, i) => (route.when ?? []).forEach((filter, k) => filterIssues(filter, [...path, "routes", i, "when", k], attempt, issues)));
}

/** A WebSocket carries only platforms that frame their events, and auth the upgrade's headers can pass. */
function transportIssues(webhook: RawWebhook, path: PathSegment[], issues: PathIssue[]): void {
  if (getAdapter(webhook.platform)?.socket === undefined) {
    const framed = allAdapters().filter((a) => a.socket !== undefined).map((a) => a.name);
    issues.push({ path: [...path, "transport"], message: `platform ${webhook.platform} has no WebSocket framing (platforms with one: ${framed.join(", ")})` });
  }
  // Frames are checked against the upgrade's headers: a body signature can never match.
  if (webhook.auth?.signature !== undefined) issues.push({ path: [...path, "auth", "signature"], message: "frames on a WebSocket carry no signature: with transport: websocket use apiKey or basic, checked on the upgrade" });
}

/** A global concurrency limit is counted in the Redis the dedupe store uses. */
function globalLimitIssues(raw: RawConfig, issues: PathIssue[]): void {
  const store = raw.server?.dedupe?.store ?? "";
  if (/^rediss?:\/\//i.test(store)) return;
  raw.webhooks.forEach((webhook, w) =>
    (webhook.routes ?? []).forEach((route, r) => {
      if (typeof route.concurrency === "object" && route.concurrency.scope === "global") {
        issues.push({ path: ["webhooks", w, "routes", r, "concurrency", "scope"], message: "scope: global needs a Redis to count in: set server.dedupe.store to a redis:// URL" });
      }
    }),
  );
}

function filterIssues(filter: RawFilter, path: PathSegment[], attempt: Attempt, issues: PathIssue[]): void {
  if (Array.isArray(filter.any)) return (filter.any as RawFilter[]).forEach((f, i) => filterIssues(f, [...path, "any", i], attempt, issues));
  if (filter.not !== undefined) return filterIssues(filter.not as RawFilter, [...path, "not"], attempt, issues);
  const problem = checkPath(filter.key as string);
  if (problem !== undefined) issues.push({ path: [...path, "key"], message: problem });
  // The router's own compile: `(?i)` is allowed, backtracking-only syntax is not.
  if (typeof filter.matches === "string") attempt([...path, "matches"], () => compileRegExp(filter.matches as string));
}
