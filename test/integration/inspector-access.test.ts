/**
 * Who may reach the live inspector, through the real CLI: only loopback Host names (DNS
 * rebinding and tunnels bring others), never through a proxy without a token, never from
 * another site's page, changes only with JSON and the custom header; every answer forbids
 * framing; the token travels in a header or cookie, never the URL, and never reaches the log.
 */
import { request } from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const TOKEN = "insp-token-7f3a9c";
let open: RunningServer;
let guarded: RunningServer;

/** A raw request: fetch may not set Host. */
function send(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const code = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

beforeAll(async () => {
  [open, guarded] = await Promise.all([
    spawnServer(["config.example.yaml", "--inspect"]),
    spawnServer(["config.example.yaml", "--inspect", "--inspect-host", "x.ngrok-free.app"], { env: { WEBHOOK_SERVE_INSPECT_TOKEN: TOKEN } }),
  ]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop()]);
});

describe("the inspector's Host, Origin and proxy rules", () => {
  it("answers on loopback names only: a rebound or tunnelled name gets 403", async () => {
    for (const host of ["localhost", "127.0.0.1", `localhost:${new URL(open.url).port}`]) expect((await send(open.url, "/_inspect/api/turns", { headers: { host } })).status, host).toBe(200);
    for (const host of ["evil.example", "x.ngrok-free.app", "localhost.evil.example", "127.0.0.1.nip.io"]) {
      const res = await send(open.url, "/_inspect/api/turns", { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(code(res.body)).toBe("WHS_ERR_INSPECT_FORBIDDEN");
      expect((await send(open.url, "/_inspect/", { headers: { host } })).status, host).toBe(403);
    }
  });

  it("refuses a request that came through a proxy when no token is set", async () => {
    for (const header of ["x-forwarded-for", "forwarded", "cf-connecting-ip", "x-real-ip"]) {
      const res = await send(open.url, "/_inspect/api/turns", { headers: { host: "localhost", [header]: "203.0.113.9" } });
      expect(res.status, header).toBe(403);
    }
  });

  it("refuses another site's Origin and cross-site fetches", async () => {
    expect((await send(open.url, "/_inspect/api/turns", { headers: { origin: "http://evil.example" } })).status).toBe(403);
    expect((await send(open.url, "/_inspect/api/turns", { headers: { origin: "null" } })).status).toBe(403);
    expect((await send(open.url, "/_inspect/api/turns", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await send(open.url, "/_inspect/api/turns", { headers: { origin: open.url, "sec-fetch-site": "same-origin" } })).status).toBe(200);
    // A link followed to the page itself is fine (no data, no framing); the same page framed is not.
    const navigate = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" };
    expect((await send(open.url, "/_inspect/", { headers: { ...navigate, "sec-fetch-dest": "document" } })).status).toBe(200);
    expect((await send(open.url, "/_inspect/", { headers: { ...navigate, "sec-fetch-dest": "iframe" } })).status).toBe(403);
    expect((await send(open.url, "/_inspect/api/turns", { headers: { ...navigate, "sec-fetch-dest": "document" } })).status).toBe(403);
  });

  it("with a token and a listed name, a tunnel reaches it, but only with the token", async () => {
    const tunnel = { host: "x.ngrok-free.app", "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" };
    expect((await send(guarded.url, "/_inspect/api/turns", { headers: tunnel })).status).toBe(401);
    expect((await send(guarded.url, "/_inspect/api/turns", { headers: { ...tunnel, "x-inspect-token": TOKEN } })).status).toBe(200);
    expect((await send(guarded.url, "/_inspect/api/turns", { headers: { ...tunnel, host: "evil.example", "x-inspect-token": TOKEN } })).status).toBe(403);
  });
});

describe("the inspector's changes need JSON and the custom header", () => {
  it("refuses a bodiless, form or text POST (what another page can send without a preflight)", async () => {
    for (const headers of [{} as Record<string, string>, { "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, { "content-type": "application/json" }, { "content-type": "text/plain", "x-inspect-request": "1" }]) {
      const res = await send(open.url, "/_inspect/api/turns/1/replay", { method: "POST", headers, body: "{}" });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(code(res.body)).toBe("WHS_ERR_INSPECT_CSRF");
    }
    // With both, the request reaches the route (no turn 1 recorded: 404).
    const ok = await send(open.url, "/_inspect/api/turns/1/replay", { method: "POST", headers: { "content-type": "application/json", "x-inspect-request": "1" }, body: "{}" });
    expect(ok.status).toBe(404);
  });
});

describe("the inspector's answers", () => {
  it("forbid framing and carry a strict CSP", async () => {
    for (const path of ["/_inspect/", "/_inspect/api/turns"]) {
      const res = await send(open.url, path);
      expect(res.headers["x-frame-options"], path).toBe("DENY");
      expect(res.headers["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["content-security-policy"], path).toMatch(/default-src 'none'; script-src 'sha256-[\w+/=]+'; style-src 'sha256-[\w+/=]+'; connect-src 'self'/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
    // Refusals too: a framed 403 shows nothing either.
    expect((await send(open.url, "/_inspect/", { headers: { host: "evil.example" } })).headers["x-frame-options"]).toBe("DENY");
  });
});

describe("the inspector token", () => {
  it("is never taken from the URL, never printed, and not on the command line when given in the environment", async () => {
    expect((await send(guarded.url, `/_inspect/api/turns?token=${TOKEN}`)).status).toBe(401);
    const session = await send(guarded.url, "/_inspect/api/session", { method: "POST", headers: { "content-type": "application/json", "x-inspect-request": "1", "x-inspect-token": TOKEN }, body: "{}" });
    const cookie = String(session.headers["set-cookie"]).split(";")[0] as string;
    expect(cookie).not.toContain(TOKEN);
    expect((await send(guarded.url, "/_inspect/api/turns", { headers: { cookie } })).status).toBe(200);
    await guarded.waitForOutput("/_inspect/api/session");
    expect(guarded.output()).not.toContain(TOKEN);
    expect(guarded.output()).toContain("inspector on");
    expect(readFileSync(`/proc/${guarded.child.pid}/cmdline`, "utf8")).not.toContain(TOKEN);
  });
});
