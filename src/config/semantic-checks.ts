/**
 * @module The checks a JSON schema cannot make, each a problem at its YAML path: two webhooks
 * on one path, filter keys and dedupe keys that do not parse, patterns the router cannot
 * compile, signature keys their scheme does not read or cannot use (Standard Webhooks secrets
 * that are not `whsec_…`, ed25519 keys that are not 64 hex digits), trustProxy addresses proxy-addr
 * refuses, and dedupe stores that are not a URL. Each check is the one the running server
 * makes, so a config that passes here also starts.
 */
import proxyAddr from "proxy-addr";
import { getSignatureScheme, schemeKeys, schemeNeeds, signatureSchemeNames } from "../auth/signature-schemes.js";
import { getAdapter } from "../platforms/registry.js";
import { defaults } from "./defaults.js";
import { compileKey } from "../dedupe/dedupe-key.js";
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
  if (signature !== undefined) signatureIssues(webhook.platform, signature, [...path, "auth", "signature"], attempt, issues);
  if (webhook.publicUrl !== undefined && !URL.canParse(webhook.publicUrl)) issues.push({ path: [...path, "publicUrl"], message: "is not a valid URL" });
  // What the deduper will compile.
  if (webhook.dedupe) attempt([...path, "dedupe", "key"], () => compileKey((webhook.dedupe as { key: string }).key));
  (webhook.routes ?? []).forEach((route, i) => (route.when ?? []).forEach((filter, k) => filterIssues(filter, [...path, "routes", i, "when", k], attempt, issues)));
}

type RawSignature = NonNullable<NonNullable<RawWebhook["auth"]>["signature"]>;

/**
 * The keys of `auth.signature` against its scheme (the platform's own when unset, else hmac):
 * a key the scheme does not read, none of the keys it needs, a value it cannot use
 * (a standard-webhooks secret that is not whsec_…, an ed25519 key that is not 64 hex digits).
 */
function signatureIssues(platform: string, signature: RawSignature, path: PathSegment[], attempt: Attempt, issues: PathIssue[]): void {
  const own = getAdapter(platform)?.signatureScheme;
  const name = signature.scheme ?? own?.name ?? defaults.signatureScheme;
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
  for (const key of keys) {
    const value = given[key];
    if (typeof value === "string") attempt([...path, key], () => checkValue(key, value));
    else if (Array.isArray(value)) value.forEach((item, i) => typeof item === "string" && attempt([...path, key, i], () => checkValue(key, item)));
  }
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
