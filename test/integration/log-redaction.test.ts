/**
 * Credentials never reach the log, even when a handler logs the whole turn or its headers:
 * basic auth (the base64 token in Authorization), api keys and signature headers.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const USER = "bot";
const PASS = "hunter2-pass-9c1e";
const KEY = "api-key-value-5d2a";
let dir = "";
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "whs-redact-"));
  mkdirSync(join(dir, "handlers"));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(
    join(dir, "handlers/chatty.mjs"),
    `export default function chatty(turn, ctx) {\n  ctx.log.info({ turn }, "whole turn");\n  ctx.log.info(turn.headers, "bare headers");\n  return { text: "ok" };\n}\n`,
  );
  writeFileSync(
    join(dir, "config.yaml"),
    `webhooks:\n  - path: /basic\n    platform: generic\n    auth:\n      basic: { username: ${USER}, password: ${PASS} }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n` +
      `  - path: /key\n    platform: generic\n    auth:\n      apiKey: { header: x-token, value: ${KEY} }\n    routes:\n      - event: chat\n        handler: ./handlers/chatty.mjs\n`,
  );
  server = await spawnServer([join(dir, "config.yaml")]);
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
});
