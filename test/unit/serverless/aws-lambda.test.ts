/**
 * createLambdaHandler with the event shapes from the AWS docs (API Gateway REST payload 1.0,
 * HTTP API / function URL payload 2.0), re-pointed at our webhook paths.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createLambdaHandler, type ApiGatewayV1Event, type ApiGatewayV2Event } from "../../../src/serverless/index.js";

const CONFIG = fileURLToPath(new URL("./fixtures/config.yaml", import.meta.url));
const v1 = JSON.parse(readFileSync(new URL("./fixtures/api-gateway-v1.json", import.meta.url), "utf8")) as ApiGatewayV1Event;
const v2 = JSON.parse(readFileSync(new URL("./fixtures/api-gateway-v2.json", import.meta.url), "utf8")) as ApiGatewayV2Event;
const greeting = JSON.stringify({ id: "a1", result: { action: "greetings", parameters: { name: "Ana" } } });
const handler = createLambdaHandler(CONFIG);

describe("createLambdaHandler: API Gateway REST (v1)", () => {
  it("answers a POST with headers from multiValueHeaders", async () => {
    const event: ApiGatewayV1Event = {
      ...v1,
      httpMethod: "POST",
      path: "/apiai",
      headers: { ...v1.headers, "Content-Type": "application/json", "api-key": "k3y-value" },
      multiValueHeaders: { ...v1.multiValueHeaders, "Content-Type": ["application/json"], "api-key": ["k3y-value"] },
      body: greeting,
    };
    const res = await handler(event);
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(false);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers.connection).toBeUndefined();
    expect(JSON.parse(res.body)).toMatchObject({ speech: "Hi Ana!" });
  });

  it("decodes a base64 body", async () => {
    const event: ApiGatewayV1Event = {
      ...v1,
      httpMethod: "POST",
      path: "/apiai",
      headers: { "Content-Type": "application/json", "api-key": "k3y-value" },
      multiValueHeaders: null,
      body: Buffer.from(greeting).toString("base64"),
      isBase64Encoded: true,
    };
    const res = await handler(event);
    expect(JSON.parse(res.body)).toMatchObject({ speech: "Hi Ana!" });
  });

  it("answers auth failures and unknown paths with the error body", async () => {
    const denied = await handler({ ...v1, httpMethod: "POST", path: "/apiai", headers: { "content-type": "application/json", "api-key": "wrong" }, multiValueHeaders: null, body: greeting });
    expect(denied.statusCode).toBe(401);
    expect(JSON.parse(denied.body)).toEqual({ error: { code: "WHS_ERR_AUTH_FAILED", message: "Unauthorized" } });
    const missing = await handler(v1);
    expect(missing.statusCode).toBe(404);
    const health = await handler({ ...v1, path: "/healthz" });
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
  });
});

describe("createLambdaHandler: HTTP API and function URL (v2)", () => {
  it("answers a POST and keeps the query string", async () => {
    const event: ApiGatewayV2Event = { ...v2, rawPath: "/apiai", headers: { ...v2.headers, "content-type": "application/json", "api-key": "k3y-value" }, body: greeting };
    const res = await handler(event);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ speech: "Hi Ana!" });
    expect(res.cookies).toBeUndefined();
  });

  it("strips a named stage from rawPath and decodes base64 bodies", async () => {
    const event: ApiGatewayV2Event = {
      ...v2,
      rawPath: "/prod/apiai",
      requestContext: { ...v2.requestContext, stage: "prod" },
      headers: { "content-type": "application/json", "api-key": "k3y-value" },
      body: Buffer.from(greeting).toString("base64"),
      isBase64Encoded: true,
    };
    const res = await handler(event);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ speech: "Hi Ana!" });
  });

  it("strips a configured base path (custom domain mapping)", async () => {
    const mapped = createLambdaHandler(CONFIG, { basePath: "/bots" });
    const res = await mapped({ ...v2, rawPath: "/bots/apiai", headers: { "content-type": "application/json", "api-key": "k3y-value" }, body: greeting });
    expect(res.statusCode).toBe(200);
  });

  it("rejects a config with problems on every invocation, with the issues", async () => {
    const broken = createLambdaHandler({ webhooks: [{ path: "/x", platform: "nope", routes: [] }] });
    await expect(broken(v2)).rejects.toThrow(/Invalid configuration/);
    await expect(broken(v2)).rejects.toThrow(/Invalid configuration/);
  });
});
