/** The inspector's JSON API and its safety rules, in-process (the page itself: test/browser). */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createInspector } from "../../src/inspect/inspector.js";
import { loadPipeline } from "../../src/core/load-pipeline.js";
import { createHttpServer } from "../../src/server/http-server.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";

const silent = pino({ level: "silent" });
/** What the page sends with every change (a JSON body and the custom header). */
const CHANGE = { "x-inspect-request": "1" };
const CONFIG = { webhooks: [{ path: "/g", platform: "generic", auth: { apiKey: { value: "k3y-secret-value" } }, routes: [{ event: "hi", reply: { text: "hello {{ params.name }}" } }] }] };

async function server(token?: string, inspect = true) {
  const pipeline = await loadPipeline(CONFIG, { logger: silent });
  const store = createInspector({ secrets: () => pipeline.runtime.config.secrets });
  const app = createHttpServer(pipeline, inspect ? { inspector: { store, ...(token ? { token } : {}) } } : {});
  await app.fastify.ready();
  return app.fastify;
}

describe("the inspector API", () => {
  it("records turns with secrets redacted, and replays one with an edited body, re-authenticated, with its diff", async () => {
    const app = await server();
    await app.inject({ method: "POST", url: "/g", headers: { "api-key": "k3y-secret-value" }, payload: { type: "hi", params: { name: "Ana", echo: "k3y-secret-value" } } });
    const { turns } = (await app.inject({ url: "/_inspect/api/turns" })).json<{ turns: Record<string, unknown>[] }>();
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ id: 1, path: "/g", route: "event=hi", status: 200, response: { text: "hello Ana" } });
    expect(JSON.stringify(turns)).not.toContain("k3y-secret-value");
    const replay = await app.inject({ method: "POST", url: "/_inspect/api/turns/1/replay", headers: CHANGE, payload: { body: { type: "hi", params: { name: "Bo" } } } });
    expect(replay.json()).toMatchObject({ id: 2, replayOf: 1, status: 200, response: { text: "hello Bo" }, changed: ["text"] });
    expect((await app.inject({ method: "POST", url: "/_inspect/api/turns/99/replay", headers: CHANGE, payload: {} })).statusCode).toBe(404);
    await app.close();
  });

  it("explains a turn no route matched", async () => {
    const app = await server();
    await app.inject({ method: "POST", url: "/g", headers: { "api-key": "k3y-secret-value" }, payload: { type: "bye" } });
    const { turns } = (await app.inject({ url: "/_inspect/api/turns" })).json<{ turns: { explanation?: string[] }[] }>();
    expect(turns[0]?.explanation).toEqual(['✗ event=hi  event: wants "hi" but was "bye"']);
    await app.close();
  });

  it("with a token, refuses every data request without it, in a header or the cookie it sets once, never in the URL", async () => {
    const app = await server("s3cret-token");
    // The page holds no data: it is served, and asks for the token.
    expect((await app.inject({ url: "/_inspect/" })).headers["content-type"]).toContain("text/html");
    expect((await app.inject({ url: "/_inspect/api/turns" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/_inspect/api/turns?token=s3cret-token" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/_inspect/api/turns", headers: { "x-inspect-token": "wrong-token!" } })).statusCode).toBe(401);
    expect((await app.inject({ url: "/_inspect/api/turns", headers: { "x-inspect-token": "s3cret-token" } })).statusCode).toBe(200);
    const session = await app.inject({ method: "POST", url: "/_inspect/api/session", headers: { ...CHANGE, "x-inspect-token": "s3cret-token" }, payload: {} });
    const cookie = String(session.headers["set-cookie"]);
    expect(cookie).toMatch(/^whs_inspect=[\w-]+; Path=\/_inspect\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain("s3cret-token");
    expect((await app.inject({ url: "/_inspect/api/turns", headers: { cookie: cookie.split(";")[0] as string } })).statusCode).toBe(200);
    expect((await app.inject({ url: "/_inspect/api/turns", headers: { cookie: "whs_inspect=forged" } })).statusCode).toBe(401);
    expect((await app.inject({ method: "POST", url: "/_inspect/api/session", headers: { ...CHANGE, "x-inspect-token": "wrong" }, payload: {} })).statusCode).toBe(401);
    await app.close();
  });

  it("without --inspect, /_inspect/ is an unknown path like any other", async () => {
    const app = await server(undefined, false);
    const res = await app.inject({ url: "/_inspect/" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: "WHS_ERR_NOT_FOUND" } });
    await app.close();
  });

  it("refuses to start an inspector off loopback without a token", async () => {
    const res = await runCliInProcess(["config.example.yaml", "--host", "0.0.0.0", "--port", "0", "--inspect"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("--inspect on 0.0.0.0 would show every request to anyone who can reach it");
  });
});

describe("replaying a request signed with a key webhook-serve does not hold (ed25519)", () => {
  it("resends the recorded signature: the same body passes, an edited one is refused", async () => {
    const { generateKeyPairSync, sign } = await import("node:crypto");
    const ed = generateKeyPairSync("ed25519");
    const publicKey = Buffer.from(ed.publicKey.export({ format: "jwk" }).x as string, "base64url").toString("hex");
    const config = { webhooks: [{ path: "/i", platform: "generic", auth: { signature: { scheme: "ed25519", publicKey } }, routes: [{ event: "hi", reply: { text: "pong" } }] }] };
    const pipeline = await loadPipeline(config, { logger: silent });
    const store = createInspector({ secrets: () => pipeline.runtime.config.secrets });
    const app = createHttpServer(pipeline, { inspector: { store } }).fastify;
    await app.ready();
    const body = JSON.stringify({ type: "hi" });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = { "content-type": "application/json", "x-signature-timestamp": timestamp, "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), ed.privateKey).toString("hex") };
    expect((await app.inject({ method: "POST", url: "/i", headers, payload: body })).statusCode).toBe(200);
    const same = await app.inject({ method: "POST", url: "/_inspect/api/turns/1/replay", headers: CHANGE, payload: {} });
    expect(same.json()).toMatchObject({ replayOf: 1, status: 200 });
    const edited = await app.inject({ method: "POST", url: "/_inspect/api/turns/1/replay", headers: CHANGE, payload: { body: { type: "hi", x: 1 } } });
    expect(edited.json()).toMatchObject({ replayOf: 1, status: 401 });
    await app.close();
  });
});
