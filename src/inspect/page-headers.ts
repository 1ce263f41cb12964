/**
 * @module The headers every inspector answer carries: no framing (clickjacking the Replay
 * button), a CSP that runs only the page's own inline script and style (by hash) and lets it
 * talk only to its own origin, no sniffing, no referrer, no caching of recorded turns.
 */
import { createHash } from "node:crypto";
import { INSPECTOR_PAGE } from "./page.js";

const hash = (tag: string): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(INSPECTOR_PAGE);
  if (!match) throw new Error(`the inspector page has no <${tag}>`);
  return `'sha256-${createHash("sha256").update(match[1] as string).digest("base64")}'`;
};

const CSP = [
  "default-src 'none'",
  `script-src ${hash("script")}`,
  `style-src ${hash("style")}`,
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

export const INSPECTOR_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CSP,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cache-control": "no-store",
};
