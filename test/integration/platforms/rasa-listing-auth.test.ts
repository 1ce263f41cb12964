/** Rasa's GET <path>/actions lists the routes, behind the webhook's api key like its POSTs. */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { loadHttpServer } from "../../../src/server/create-server.js";

describe("GET /rasa/actions", () => {
  it("needs the webhook's api key when it has one", async () => {
    const app = await loadHttpServer(
      { webhooks: [{ path: "/rasa", platform: "rasa", auth: { apiKey: { value: "list-key-1" } }, routes: [{ action: "action_hi", reply: { text: "hi" } }] }] },
      { logger: pino({ level: "silent" }) },
    );
    try {
      const missing = await app.fastify.inject({ method: "GET", url: "/rasa/actions" });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ error: { code: "WHS_ERR_AUTH_MISSING" } });
      const wrong = await app.fastify.inject({ method: "GET", url: "/rasa/actions", headers: { "api-key": "nope" } });
      expect(wrong.statusCode).toBe(401);
      const ok = await app.fastify.inject({ method: "GET", url: "/rasa/actions", headers: { "api-key": "list-key-1" } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual([{ name: "action_hi" }]);
    } finally {
      await app.fastify.close();
    }
  });
});

describe("GET /health, rasa-sdk's probe", () => {
  it("answers {status: ok} without auth when a Rasa webhook is configured, and is unknown otherwise", async () => {
    const rasa = await loadHttpServer(
      { webhooks: [{ path: "/webhook", platform: "rasa", auth: { apiKey: { value: "k-123" } }, routes: [{ action: "action_hi", reply: { text: "hi" } }] }] },
      { logger: pino({ level: "silent" }) },
    );
    const generic = await loadHttpServer({ webhooks: [{ path: "/g", platform: "generic", routes: [{ event: "x", reply: { text: "hi" } }] }] }, { logger: pino({ level: "silent" }) });
    try {
      const health = await rasa.fastify.inject({ method: "GET", url: "/health" });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: "ok" });
      expect((await generic.fastify.inject({ method: "GET", url: "/health" })).statusCode).toBe(404);
    } finally {
      await Promise.all([rasa.fastify.close(), generic.fastify.close()]);
    }
  });
});
