/**
 * Credentials never reach the log, even when a handler logs the whole turn or its headers:
 * basic auth (the base64 token in Authorization), api keys and signature headers; nor the
 * inspector: a wrong key on a custom header, a custom signature header, cookie and bearer
 * values nested in what a handler logs. A secret made of digits keeps every line valid JSON.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const USER = "bot";
const PASS = "hunter2-pass-9c1e";
const KEY = "api-key-value-5d2a";
const SIG_SECRET = "sig-secret-8b0c";
const DIGITS = "20241207";
let dir = "";
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "whs-redact-"));
  mkdirSync(join(dir, "handlers"));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(
    join(dir, "handlers/chatty.mjs"),
    `export default function chatty(turn, ctx) {\n  ctx.log.info({ turn }, "whole turn");\n  ctx.log.info(turn.headers, "bare headers");\n  ctx.log.info({ seen: turn.headers }, "nested headers");\n  ctx.log.info({ orderNo: turn.params?.orderNo }, "order");\n  return { text: "ok" };\n}\n`,
  );
  writeFileSync(
    join(dir, "config.yaml"),
    `webhooks:\n  - path: /basic\n    platform: generic\n    auth:\n      basic: { username: ${USER}, password: ${PASS} }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n` +
      `  - path: /key\n    platform: generic\n    auth:\n      apiKey: { header: x-token, value: ${KEY} }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n` +
      `  - path: /sig\n    platform: generic\n    auth:\n      signature: { header: x-my-sig, secret: ${SIG_SECRET}, algorithm: sha256, encoding: hex, prefix: "" }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n` +
      `  - path: /num\n    platform: generic\n    auth:\n      apiKey: { header: x-num, value: "${DIGITS}" }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n`,
  );
  server = await spawnServer([join(dir, "config.yaml"), "--inspect"]);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("log redaction", () => {
  it("keeps basic credentials and api keys out of lines a handler writes", async () => {
    const token = Buffer.from(`${USER}:${PASS}`).toString("base64");
    expect((await post(`${server.url}/basic`, { type: "chat" }, { authorization: `Basic ${token}` })).status).toBe(200);
    expect((await post(`${server.url}/key`, { type: "chat" }, { "x-token": KEY })).status).toBe(200);
    await server.waitForOutput(/bare headers[\s\S]*bare headers/);
    const out = server.output();
    expect(out).toContain("whole turn");
    expect(out).not.toContain(token);
    expect(out).not.toContain(PASS);
    expect(out).not.toContain(KEY);
    expect(out).toContain("[redacted]");
  });

  it("hides a wrong key on a custom header, a custom signature header, and cookie and bearer values nested in what a handler logs, in the log and the inspector", async () => {
    const WRONG = "wrong-key-value-71fe";
    const COOKIE = "session=cookie-value-93ad";
    const BEARER = "bearer-token-value-a4c2";
    expect((await post(`${server.url}/key`, { type: "chat" }, { "x-token": WRONG })).status).toBe(401);
    expect((await post(`${server.url}/key`, { type: "chat" }, { "x-token": KEY, cookie: COOKIE, authorization: `Bearer ${BEARER}` })).status).toBe(200);
    const body = JSON.stringify({ type: "chat" });
    const signature = createHmac("sha256", SIG_SECRET).update(body).digest("hex");
    expect((await post(`${server.url}/sig`, body, { "x-my-sig": signature })).status).toBe(200);
    await server.waitForOutput(/nested headers[\s\S]*nested headers[\s\S]*nested headers[\s\S]*nested headers/);
    const inspector = await (await fetch(`${server.url}/_inspect/api/turns`)).text();
    for (const [where, text] of [["log", server.output()], ["inspector", inspector]] as const) {
      for (const secret of [WRONG, "cookie-value-93ad", BEARER, signature, KEY, SIG_SECRET]) expect(text, `${where}: ${secret}`).not.toContain(secret);
    }
    expect(inspector).toContain('"x-token":"[redacted]"');
    expect(inspector).toContain('"x-my-sig":"[redacted]"');
  });

  it("keeps a line valid JSON when a secret's digits are inside a number", async () => {
    expect((await post(`${server.url}/num`, { type: "chat", params: { orderNo: 202412071 } }, { "x-num": DIGITS })).status).toBe(200);
    const ORDER = /"webhook":"\/num"[^\n]*"msg":"order"/;
    const line = (await server.waitForOutput(ORDER)).split("\n").find((l) => ORDER.test(l)) as string;
    expect(JSON.parse(line)).toMatchObject({ orderNo: "[redacted]" });
    for (const l of server.output().split("\n").filter((x) => x.startsWith("{"))) expect(() => JSON.parse(l), l).not.toThrow();
    expect(server.output()).not.toContain(DIGITS);
  });
});
