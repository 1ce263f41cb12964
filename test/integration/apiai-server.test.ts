/**
 * The core end to end: the built CLI on a real loopback port, real API.AI payloads, the
 * contract's bad-input table, and the server still serving after each bad request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payload } from "../fixtures/payloads/load-payload.js";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const CONFIG = "test/fixtures/core/config.yaml";
const fixture = payload("apiai");
const KEY = { "api-key": "s3cret-key" };

function apiai(action: string, parameters: Record<string, unknown> = {}, query = "hello"): Record<string, unknown> {
  const result = fixture.result as Record<string, unknown>;
  return { ...fixture, result: { ...result, action, parameters, resolvedQuery: query } };
}

let server: RunningServer;
let url: string;

beforeAll(async () => {
  server = await spawnServer([CONFIG]);
  url = `${server.url}/webhook/`;
});
afterAll(async () => {
  await server?.stop();
});

describe("API.AI webhook through the real CLI", () => {
  it("answers the sample payload with a templated static reply", async () => {
    const res = await post(url, fixture, KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = res.body as Record<string, unknown>;
    expect(body.speech).toBe("Hi Ana!");
    expect(body.contextOut).toEqual([{ name: "greeted", lifespan: 3, parameters: { name: "Ana" } }]);
  });

  it("runs a TypeScript handler and sends every API.AI response field", async () => {
    const res = await post(url, apiai("weather", { city: "Rome" }), KEY);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      speech: "It is sunny in Rome.",
      displayText: "Rome: sunny",
      data: { facebook: { text: "sunny" } },
      contextOut: [{ name: "weather", lifespan: 2, parameters: { city: "Rome" } }],
      followupEvent: { name: "weather-told", data: { city: "Rome" } },
    });
    expect(typeof (res.body as Record<string, unknown>).source).toBe("string");
  });

  it("accepts the minimal apiaiwebhook test-client shape", async () => {
    const res = await post(url, { result: { action: "echo", parameters: { a: 1 } } }, KEY);
    expect(res.status).toBe(200);
    expect((res.body as Record<string, unknown>).speech).toBe('echo::{"a":1}');
  });

  it("applies when filters, first match in file order", async () => {
    expect(((await post(url, apiai("plan", { plan: "pro" }), KEY)).body as Record<string, unknown>).speech).toBe("Premium plan pro");
    expect(((await post(url, apiai("plan", { plan: "free" }), KEY)).body as Record<string, unknown>).speech).toBe("Basic plan");
  });

  it("answers a handler deadline with the route fallback", async () => {
    const res = await post(url, apiai("slow-with-fallback"), KEY);
    expect(res.status).toBe(200);
    expect((res.body as Record<string, unknown>).speech).toBe("Still looking.");
  });

  it("treats a handler returning nothing as the platform's empty reply", async () => {
    const res = await post(url, apiai("nothing"), KEY);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it("checks basic auth with a password containing a colon, and uses the webhook fallback", async () => {
    const good = { authorization: `Basic ${Buffer.from("bot:pa:ss").toString("base64")}` };
    const ok = await post(`${server.url}/basic`, apiai("greetings"), good);
    expect(ok.status).toBe(200);
    expect((ok.body as Record<string, unknown>).speech).toBe("basic ok");
    const fallback = await post(`${server.url}/basic`, apiai("unknown", {}, "what?"), good);
    expect((fallback.body as Record<string, unknown>).speech).toBe("fallback what?");
    const wrong = await post(`${server.url}/basic`, apiai("greetings"), { authorization: `Basic ${Buffer.from("bot:nope").toString("base64")}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    const missing = await post(`${server.url}/basic`, apiai("greetings"));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect((missing.body as { error: { code: string } }).error.code).toBe("WHS_ERR_AUTH_FAILED");
  });

  it("answers a handler deadline with the webhook fallback when the route has none", async () => {
    const good = { authorization: `Basic ${Buffer.from("bot:pa:ss").toString("base64")}` };
    const res = await post(`${server.url}/basic`, apiai("slow", {}, "anyone there?"), good);
    expect(res.status).toBe(200);
    expect((res.body as Record<string, unknown>).speech).toBe("fallback anyone there?");
  });

  it("imports a .mts handler", async () => {
    const good = { authorization: `Basic ${Buffer.from("bot:pa:ss").toString("base64")}` };
    const res = await post(`${server.url}/basic`, apiai("shout", {}, "hello there"), good);
    expect(res.status).toBe(200);
    expect((res.body as Record<string, unknown>).speech).toBe("HELLO THERE!");
  });

  it("gives handlers a logger bound to the request id", async () => {
    await post(url, apiai("logs", { city: "Oslo" }), KEY);
    const line = (await server.waitForOutput("handler says hi"))
      .split("\n")
      .find((l) => l.includes("handler says hi"));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ city: "Oslo", webhook: "/webhook/", route: "action=logs" });
    expect(JSON.parse(line!).reqId).toBeDefined();
  });

  it("answers /healthz without auth", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

describe("the bad-input table of the contract", () => {
  const cases: { name: string; send: () => Promise<Response | { status: number; body: unknown }>; status: number; code: string }[] = [
    { name: "api key missing", send: () => post(url, fixture), status: 400, code: "WHS_ERR_AUTH_MISSING" },
    { name: "api key wrong", send: () => post(url, fixture, { "api-key": "nope" }), status: 401, code: "WHS_ERR_AUTH_FAILED" },
    { name: "body not JSON", send: () => post(url, "{not json", KEY), status: 400, code: "WHS_ERR_BODY_NOT_JSON" },
    { name: "empty body", send: () => post(url, "", KEY), status: 400, code: "WHS_ERR_BODY_NOT_JSON" },
    { name: "wrong shape", send: () => post(url, { result: "nope" }, KEY), status: 400, code: "WHS_ERR_BODY_SHAPE" },
    { name: "no route", send: () => post(url, apiai("unknown.action"), KEY), status: 404, code: "WHS_ERR_NO_ROUTE" },
    { name: "unknown path", send: () => post(`${server.url}/nope`, fixture, KEY), status: 404, code: "WHS_ERR_NOT_FOUND" },
    { name: "body over bodyLimit", send: () => post(url, { ...fixture, pad: "x".repeat(8000) }, KEY), status: 413, code: "WHS_ERR_BODY_TOO_LARGE" },
    {
      name: "non-JSON content type",
      send: () => fetch(url, { method: "POST", headers: { "content-type": "text/plain", ...KEY }, body: "hi" }),
      status: 415,
      code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE",
    },
    { name: "wrong method", send: () => fetch(url, { method: "GET", headers: KEY }), status: 405, code: "WHS_ERR_METHOD_NOT_ALLOWED" },
    { name: "handler throws", send: () => post(url, apiai("boom"), KEY), status: 500, code: "WHS_ERR_HANDLER_FAILED" },
    { name: "deadline, no fallback", send: () => post(url, apiai("slow"), KEY), status: 504, code: "WHS_ERR_HANDLER_TIMEOUT" },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}, and the server keeps serving`, async () => {
      const res = await c.send();
      const body = res instanceof Response ? ((await res.json()) as unknown) : res.body;
      expect(res.status).toBe(c.status);
      expect(body).toMatchObject({ error: { code: c.code } });
      expect(typeof (body as { error: { message: unknown } }).error.message).toBe("string");
      const after = await post(url, fixture, KEY);
      expect(after.status).toBe(200);
    });
  }

  it("never writes the api key or handler error secrets to the log or the response", async () => {
    const res = await post(url, apiai("boom"), KEY);
    expect(JSON.stringify(res.body)).not.toContain("s3cret-key");
    await server.waitForOutput("[redacted]");
    expect(server.output()).not.toContain("s3cret-key");
  });

  it("logs a handler's error with the request id of its 500, the details only in the log", async () => {
    const res = await post(url, apiai("boom"), KEY);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain("kaboom");
    await server.waitForOutput(/"status":500/);
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.filter((l) => l.msg === "request" && l.status === 500 && l.route === "action=boom").at(-1);
    const failure = lines.find((l) => l.msg === "handler failed" && l.reqId === access?.reqId);
    expect(failure).toMatchObject({ level: 50, route: "action=boom", webhook: "/webhook/" });
    expect(JSON.stringify(failure)).toContain("kaboom");
  });

  it("logs one line per request with request id, webhook, route, status and ms; probes only at debug", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await post(url, apiai("greetings", { name: "Lin" }), KEY);
    await server.waitForOutput(/"route":"action=greetings","status":200/);
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"msg":"request"') && l.includes("action=greetings"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ webhook: "/webhook/", route: "action=greetings", status: 200 });
    expect(last.reqId).toBeDefined();
    expect(typeof last.ms).toBe("number");
    // The access line of the POST is out, and the probes before it wrote none at info.
    expect(server.output()).not.toMatch(/"url":"\/(healthz|readyz)"/);
  });
});

describe("shutdown", () => {
  it("finishes an in-flight request on SIGTERM and exits 0", async () => {
    const own = await spawnServer([CONFIG]);
    const inflight = post(`${own.url}/webhook/`, apiai("slow-with-fallback"), KEY);
    await own.waitForOutput("slow started");
    const code = own.stop("SIGTERM");
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await code).toBe(0);
  });

  it("finishes an in-flight request on SIGINT (Ctrl-C) and exits 0", async () => {
    const own = await spawnServer([CONFIG]);
    const inflight = post(`${own.url}/webhook/`, apiai("slow-with-fallback"), KEY);
    await own.waitForOutput("slow started");
    const code = own.stop("SIGINT");
    expect((await inflight).status).toBe(200);
    expect(await code).toBe(0);
    expect(own.output()).toContain('"signal":"SIGINT"');
  });
});
