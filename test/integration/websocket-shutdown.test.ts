/**
 * SIGTERM with a WebSocket frame in flight, against the built CLI in its own process: the
 * answer still reaches the socket, which then closes with 1001 (going away), and the process
 * exits 0. The handler holds its answer until the process gets SIGTERM, so the frame is in
 * flight when the drain starts, without a sleep on either side.
 */
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { fixture } from "../platforms/golden-helpers.js";
import { spawnServer } from "../helpers/spawn-server.js";

const CONFIG = `webhooks:
  - path: /calls
    platform: aiflow
    transport: websocket
    auth: { apiKey: { header: x-api-token, value: calls-token } }
    routes:
      - { event: user_speak, handler: ./held.ts, timeout: 20s }
`;

const HELD = `export default async function held(turn: { text?: string }, context: { log: { info(msg: string): void } }) {
  const signalled = new Promise((resolve) => process.once("SIGTERM", resolve));
  context.log.info("held until SIGTERM");
  await signalled;
  return { text: "still answered: " + turn.text };
}
`;

let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "whs-ws-term-"));
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  writeFileSync(join(dir, "held.ts"), HELD);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SIGTERM with a WebSocket frame in flight", () => {
  it("sends the frame's answer, closes the socket with 1001, and exits 0", async () => {
    const server = await spawnServer([join(dir, "config.yaml")]);
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/calls`, { headers: { "x-api-token": "calls-token" } });
    const messages: string[] = [];
    ws.on("message", (data: Buffer) => messages.push(data.toString()));
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    await once(ws, "open");
    ws.send(JSON.stringify({ ...(fixture("aiflow/user_speak.request.json") as object), text: "are you there?" }));
    await server.waitForOutput("held until SIGTERM");
    const exited = server.stop("SIGTERM");
    expect(await closed).toBe(1001);
    expect(messages).toEqual([JSON.stringify({ type: "speak", session_id: "550e8400-e29b-41d4-a716-446655440000", text: "still answered: are you there?" })]);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/"method":"WS","url":"\/calls".*"status":200/);
  });
});
