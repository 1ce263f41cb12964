/**
 * @module Who may use the live inspector. It holds every recorded turn and a replay button
 * that signs edited bodies, so a request must come to a loopback Host (or a name the user
 * listed: DNS rebinding and tunnels arrive with foreign names), from the page itself (not from
 * another site's page: Origin / Sec-Fetch-Site), not through a proxy unless a token is set, and
 * state-changing calls must carry a JSON type and a custom header (which no cross-site form,
 * beacon or no-cors fetch can send). The token comes in a header or an HttpOnly cookie that
 * `POST /_inspect/api/session` sets once, never in the URL (access logs, `ps`, history).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ErrorCode } from "../errors.js";

/** Headers a proxy or tunnel (ngrok, cloudflared, a load balancer) adds to what it forwards. */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "cf-connecting-ip", "cf-ray", "true-client-ip", "via"];
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
/** The header the page adds to every change: a cross-site request cannot add one without a CORS preflight, which is never allowed. */
export const REQUEST_HEADER = "x-inspect-request";
export const COOKIE = "whs_inspect";

export interface InspectorGuard {
  /** `undefined` when the request may proceed; else the code to answer. The page itself holds no data and is served without the token (it asks for it). */
  check(request: { method: string; headers: IncomingHttpHeaders }, page?: boolean): ErrorCode | undefined;
  /** The cookie value for a token that was checked (`POST /api/session`). */
  cookieFor(): string | undefined;
  tokenMatches(given: unknown): boolean;
}

/** `example.com:8080` → `example.com`; `[::1]:8080` → `[::1]`. */
function hostName(host: string): string {
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
  return name.toLowerCase().replace(/\.$/, "");
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function createInspectorGuard(options: { token?: string; hosts?: readonly string[] }): InspectorGuard {
  const { token } = options;
  const hosts = new Set((options.hosts ?? []).map(hostName));
  // The cookie holds a MAC of the token under a per-process key, not the token: a leaked cookie
  // dies with the process, and the token itself is never sent back.
  const key = randomBytes(32);
  const session = token === undefined ? undefined : createHmac("sha256", key).update(token).digest("base64url");
  const tokenMatches = (given: unknown) => token !== undefined && typeof given === "string" && equal(given, token);
  const authorized = (headers: IncomingHttpHeaders): boolean => {
    if (token === undefined) return true;
    if (tokenMatches(headers["x-inspect-token"])) return true;
    const cookie = cookieValue(headers.cookie, COOKIE);
    return cookie !== undefined && session !== undefined && equal(cookie, session);
  };
  const allowedHost = (host: string | undefined) => host !== undefined && (LOOPBACK_HOST.test(hostName(host)) || hosts.has(hostName(host)));
  return {
    check({ method, headers }, page = false) {
      if (!allowedHost(headers.host)) return "WHS_ERR_INSPECT_FORBIDDEN";
      if (token === undefined && PROXY_HEADERS.some((name) => headers[name] !== undefined)) return "WHS_ERR_INSPECT_FORBIDDEN";
      // A browser says who sent the request; only the page's own origin may (a typed URL is "none").
      const origin = headers.origin;
      // The whole host with its port: another port on localhost is another origin (another dev server).
      if (origin !== undefined && (origin === "null" || !URL.canParse(origin) || new URL(origin).host !== new URL(`http://${headers.host ?? ""}`).host)) return "WHS_ERR_INSPECT_FORBIDDEN";
      const site = headers["sec-fetch-site"];
      // Following a link to the page (a top-level navigation) is fine: it holds no data and cannot be framed.
      const navigation = page && headers["sec-fetch-mode"] === "navigate" && headers["sec-fetch-dest"] === "document";
      if ((site === "cross-site" || site === "same-site") && !navigation) return "WHS_ERR_INSPECT_FORBIDDEN";
      if (method !== "GET" && method !== "HEAD") {
        const type = headers["content-type"] ?? "";
        if (!/^application\/json\s*(;|$)/i.test(type) || headers[REQUEST_HEADER] === undefined) return "WHS_ERR_INSPECT_CSRF";
      }
      return page || authorized(headers) ? undefined : "WHS_ERR_AUTH_FAILED";
    },
    cookieFor: () => session,
    tokenMatches,
  };
}
