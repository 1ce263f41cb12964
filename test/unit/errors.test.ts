import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, errorBody, errorCodes, formatIssue, isConfigError, isWebhookServeError, WebhookServeError } from "../../src/errors.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

describe("the error table", () => {
  it("documents every code in docs/errors.md, with its status, and nothing stale", () => {
    const anchors = [...doc.matchAll(/<a id="([a-z_]+)"><\/a>`([A-Z_]+)` \| (\d+) \|/g)];
    expect(anchors.map((m) => m[2]).sort()).toEqual(Object.keys(errorCodes).sort());
    for (const m of anchors) expect(Number(m[3]), m[2]).toBe(errorCodes[m[2] as keyof typeof errorCodes].status);
  });

  it("formats messages and bodies from the table", () => {
    const error = new WebhookServeError("WHS_ERR_BODY_SHAPE", ["dialogflow", "/queryResult must be object"]);
    expect(error.statusCode).toBe(400);
    expect(error.toJSON()).toEqual({ error: { code: "WHS_ERR_BODY_SHAPE", message: "Not a dialogflow request: /queryResult must be object" } });
    expect(errorBody("WHS_ERR_METHOD_NOT_ALLOWED", ["GET"])).toEqual({ error: { code: "WHS_ERR_METHOD_NOT_ALLOWED", message: "Method GET not allowed" } });
  });

  it("recognises its errors by brand, also across module copies", () => {
    const foreign = { code: "WHS_ERR_INTERNAL", [Symbol.for("webhook-serve.error")]: true };
    expect(isWebhookServeError(foreign)).toBe(true);
    expect(isWebhookServeError(new Error("x"))).toBe(false);
    const config = new ConfigError([
      { path: "webhooks[0]", message: "bad", line: 3, col: 5 },
      { path: "server.port", message: "must be a number", line: 2, col: 9 },
    ]);
    expect(isConfigError(config)).toBe(true);
    expect(config.message).toBe("Invalid configuration: webhooks[0]: bad (line 3:5); server.port: must be a number (line 2:9)");
  });

  it("prints issues as path: message (line L:C)", () => {
    expect(formatIssue({ path: "webhooks[0].routes[2]", message: 'unknown key "intnet"', line: 14, col: 7 })).toBe('webhooks[0].routes[2]: unknown key "intnet" (line 14:7)');
    expect(formatIssue({ path: "", message: "file not found" })).toBe("(file): file not found");
  });
});
