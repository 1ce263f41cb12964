/**
 * @module The checks on the file a JSON schema cannot make, each a problem at its YAML path:
 * two webhooks on one path, trustProxy addresses proxy-addr refuses, dedupe stores that are
 * not a URL, a global concurrency limit without a Redis, `transport: websocket` on a platform
 * without a socket framing or with a body signature (frames carry none), signature keys their
 * scheme does not read or cannot use (a standard-webhooks secret that is not whsec_…, an
 * ed25519 key that is not 64 hex digits), a publicUrl that is no URL. What only compiling
 * finds (filters, dedupe keys, secrets) the runtime build reports (runtime/build-runtime.ts),
 * compiling once.
 */
import proxyAddr from "proxy-addr";
import { getSignatureScheme, schemeKeys, schemeNeeds, signatureSchemeNames } from "../auth/signature-schemes.js";
import { allAdapters, getAdapter } from "../platforms/registry.js";
import type { PathIssue, PathSegment } from "./issue-path.js";
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
    const signature = webhook.auth?.signature;
    if (signature !== undefined) signatureIssues(webhook.platform, signature, ["webhooks", index, "auth", "signature"], issues);
    if (webhook.publicUrl !== undefined && !URL.canParse(webhook.publicUrl)) issues.push({ path: ["webhooks", index, "publicUrl"], message: "is not a valid URL" });
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

type RawSignature = NonNullable<NonNullable<RawWebhook["auth"]>["signature"]>;

/**
 * The keys of `auth.signature` against its scheme (the platform's own when unset, else hmac):
 * a key the scheme does not read, none of the keys it needs, a value it cannot use.
 */
function signatureIssues(platform: string, signature: RawSignature, path: PathSegment[], issues: PathIssue[]): void {
  const own = getAdapter(platform)?.signatureScheme;
  const name = signature.scheme ?? own?.name ?? "hmac";
  const scheme = own !== undefined && own.name === name ? own : getSignatureScheme(name);
  if (scheme === undefined) return; // the schema said so already
  const keys = schemeKeys(scheme);
  const given = signature as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (key === "scheme" || keys.includes(key)) continue;
    const readers = signatureSchemeNames().filter((other) => schemeKeys(getSignatureScheme(other)!).includes(key));
    const who = readers.length > 0 ? ` (${readers.join(", ")} ${readers.length === 1 ? "does" : "do"})` : "";
    issues.push({ path, key, message: `scheme ${name} does not read "${key}"${who}` });
  }
  const needs = schemeNeeds(scheme);
  if (needs.length > 0 && !needs.some((key) => given[key] !== undefined)) issues.push({ path, message: `scheme ${name} needs ${needs.join(" or ")}` });
  const checkValue = scheme.checkValue?.bind(scheme);
  if (checkValue === undefined) return;
  const attempt = (key: string, value: string, at: PathSegment[]) => {
    try {
      checkValue(key, value);
    } catch (error) {
      issues.push({ path: at, message: (error as Error).message });
    }
  };
  for (const key of keys) {
    const value = given[key];
    if (typeof value === "string") attempt(key, value, [...path, key]);
    else if (Array.isArray(value)) value.forEach((item, i) => typeof item === "string" && attempt(key, item, [...path, key, i]));
  }
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
