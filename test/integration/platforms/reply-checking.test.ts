/**
 * Development-mode response checking through the built CLI: with NODE_ENV=development a reply
 * the platform would reject answers 500 WHS_ERR_REPLY_SHAPE (naming the field); in production
 * the same reply passes through untouched. Config: test/fixtures/platforms/reply-check.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { errorCode, expectValidResponse, fixture } from "./platform-helpers.js";

const CONFIG = "test/fixtures/platforms/reply-check.yaml";

let development: RunningServer;
let production: RunningServer;

beforeAll(async () => {
  [development, production] = await Promise.all([
    spawnServer([CONFIG], { env: { NODE_ENV: "development" }, timeoutMs: 30_000 }),
    spawnServer([CONFIG], { env: { NODE_ENV: "production" }, timeoutMs: 30_000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([development?.stop(), production?.stop()]);
});

const lex = fixture("lex");
const lexIntent = (name: string) => ({ ...lex, sessionState: { ...(lex.sessionState as object), intent: { name, state: "InProgress", slots: {} } } });
const rasa = fixture("rasa");

describe("NODE_ENV=development checks every reply against the platform's response schema", () => {
  it("lex: ElicitSlot without slotToElicit answers 500 WHS_ERR_REPLY_SHAPE naming the field", async () => {
    const res = await post(`${development.url}/lex`, lexIntent("BadShape"));
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe("WHS_ERR_REPLY_SHAPE");
    expect((res.body as { error: { message: string } }).error.message).toMatch(/lex.*slotToElicit/);
  });

  it("rasa: an event without `event` answers 500 WHS_ERR_REPLY_SHAPE", async () => {
    const res = await post(`${development.url}/rasa`, { ...rasa, next_action: "action_bad_event" });
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe("WHS_ERR_REPLY_SHAPE");
  });

  it("valid replies still answer 200", async () => {
    const ok = await post(`${development.url}/lex`, lex);
    expect(ok.status, ok.text).toBe(200);
    expectValidResponse("lex", ok.body);
    const weather = await post(`${development.url}/rasa`, rasa);
    expect(weather.status, weather.text).toBe(200);
    expectValidResponse("rasa", weather.body);
  });

  it("logs the rejected reply", async () => {
    // Log lines are written asynchronously: wait for the line rather than read once.
    expect(await development.waitForOutput("response schema", 3000)).toContain("response schema");
  });
});

describe("NODE_ENV=production sends the same replies unchecked", () => {
  it("lex: the invalid dialog action passes through as 200", async () => {
    const res = await post(`${production.url}/lex`, lexIntent("BadShape"));
    expect(res.status).toBe(200);
    expect((res.body as { sessionState: { dialogAction: unknown } }).sessionState.dialogAction).toEqual({ type: "ElicitSlot" });
  });

  it("rasa: the event without `event` passes through as 200", async () => {
    const res = await post(`${production.url}/rasa`, { ...rasa, next_action: "action_bad_event" });
    expect(res.status).toBe(200);
    expect((res.body as { events: unknown[] }).events).toEqual([{ name: "slot-without-event" }]);
  });
});

describe("send and createTestServer check replies by default", () => {
  it("createTestServer: the Lex ElicitSlot without a slot fails as it does under --watch", async () => {
    const { createTestServer } = await import("../../../src/testing/index.js");
    const server = await createTestServer(CONFIG);
    try {
      const bad = await server.send({ path: "/lex", intent: "BadShape" });
      expect(bad.status).toBe(500);
      expect(errorCode(bad.body)).toBe("WHS_ERR_REPLY_SHAPE");
      expect((await server.send({ path: "/lex", intent: "BookHotel", params: { CheckInDate: "2026-12-24" } })).status).toBe(200);
    } finally {
      await server.close();
    }
    const unchecked = await createTestServer(CONFIG, { checkReplies: false });
    try {
      expect((await unchecked.send({ path: "/lex", intent: "BadShape" })).status).toBe(200);
    } finally {
      await unchecked.close();
    }
  });

  it("send (CLI): the same reply is reported and exits 1", async () => {
    const { runCli } = await import("../../helpers/spawn-server.js");
    const res = await runCli(["send", CONFIG, "--path", "/lex", "--intent", "BadShape"]);
    expect(res.code).toBe(1);
    expect(`${res.stdout}${res.stderr}`).toContain("WHS_ERR_REPLY_SHAPE");
  });
});
