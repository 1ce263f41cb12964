/** The users' testing helper: real pipeline in-process, requests built and signed per webhook, the reply captured. */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, sign, type TestServer } from "../../../src/testing/index.js";

const CORE = fileURLToPath(new URL("../../fixtures/core/config.yaml", import.meta.url));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createTestServer", () => {
  it("runs a TypeScript handler from a config file (api key added) and returns its normalized reply", async () => {
    server = await createTestServer(CORE);
    const res = await server.send({ path: "/webhook/", action: "weather", params: { city: "Oslo" } });
    expect(res.status).toBe(200);
    expect(res.reply?.text).toBe("It is sunny in Oslo.");
    expect(res.turn?.action).toBe("weather");
    expect(JSON.stringify(res.body)).toContain("It is sunny in Oslo.");
  });

  it("captures static replies and basic credentials", async () => {
    server = await createTestServer(CORE);
    expect((await server.send({ path: "/webhook/", action: "greetings", params: { name: "Ann" } })).reply?.text).toBe("Hi Ann!");
    const basic = await server.send({ path: "/basic", action: "greetings" });
    expect(basic.status).toBe(200);
    expect(basic.reply).toEqual({ text: "basic ok" });
  });

  it("sends a fresh delivery id each time, so dedupe never replays an earlier test's reply", async () => {
    server = await createTestServer({
      server: { dedupe: { ttl: "10m" } },
      webhooks: [{ path: "/es", platform: "dialogflow", routes: [{ intent: "hello", reply: { text: "Hello {{ params.name }}" } }] }],
    });
    expect((await server.send({ intent: "hello", params: { name: "Ada" } })).reply?.text).toBe("Hello Ada");
    const second = await server.send({ intent: "hello", params: { name: "Bob" } });
    expect(second.reply?.text).toBe("Hello Bob");
    expect(JSON.stringify(second.body)).toContain("Hello Bob");
  });

  it("reports an error answer and no reply when the handler throws", async () => {
    server = await createTestServer(CORE);
    const res = await server.send({ path: "/webhook/", action: "boom" });
    expect(res.status).toBe(500);
    expect(res.reply).toBeUndefined();
  });

  it("signs the request when the webhook checks signatures; unsigned requests are refused", async () => {
    server = await createTestServer({
      webhooks: [{ path: "/gh", platform: "generic", auth: { signature: { secret: "topsecret", header: "x-hub-signature-256", prefix: "sha256=" } }, routes: [{ event: "ping", reply: { text: "pong {{ params.n }}" } }] }],
    });
    const res = await server.send({ event: "ping", params: { n: 2 } });
    expect(res.status).toBe(200);
    expect(res.reply).toEqual({ text: "pong 2" });
    const unsigned = await server.request({ body: { type: "ping" } });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ error: { code: "WHS_ERR_AUTH_FAILED" } });
    expect(typeof sign).toBe("function");
  });

  it("asks for a path when there are several webhooks", async () => {
    server = await createTestServer(CORE);
    await expect(server.send({ action: "greetings" })).rejects.toThrow(/pass a path \(\/webhook\/, \/basic\)/);
  });
});
