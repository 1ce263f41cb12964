/**
 * `text: { random: [...] }` and `lang:` overrides through the real pipeline (in-process), for
 * static replies and a handler's reply alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../src/testing/index.js";

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer("test/fixtures/replies/config.yaml");
});
afterAll(async () => {
  await server?.close();
});

const textOf = (body: unknown) => (body as { fulfillmentText?: string }).fulfillmentText;

describe("reply variants", () => {
  it("text: { random } says one variant per turn, and over many turns each of them", async () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 60; i++) seen.add(textOf((await server.send({ intent: "greet", params: { name: "Ada" } })).body));
    expect(seen).toEqual(new Set(["Hi Ada!", "Hello Ada!", "Hey Ada!"]));
  });

  it("lang: exact tag, then primary subtag, else the base reply; other fields kept", async () => {
    const say = async (lang: string) => (await server.send({ intent: "welcome", params: { name: "Ada" }, lang })).body as { fulfillmentText: string; outputContexts?: unknown[] };
    expect((await say("de")).fulfillmentText).toBe("Willkommen Ada");
    expect((await say("de-CH")).fulfillmentText).toBe("Willkommen Ada");
    expect((await say("fr-CA")).fulfillmentText).toBe("Bienvenue au Québec");
    expect(["Bienvenue", "Salut"]).toContain((await say("fr-FR")).fulfillmentText);
    const english = await say("en");
    expect(english.fulfillmentText).toBe("Welcome Ada");
    expect(english.outputContexts).toHaveLength(1);
    expect((await say("de")).outputContexts).toHaveLength(1);
  });

  it("a handler's reply gets the same overrides", async () => {
    expect(textOf((await server.send({ intent: "handler", lang: "es-MX" })).body)).toBe("Gracias");
    expect(textOf((await server.send({ intent: "handler", lang: "en" })).body)).toBe("Thanks");
  });
});
