/**
 * Recording a turn for the inspector never fails the request it records, through the real CLI:
 * circular and BigInt replies, a handler logging either, and a secret made of digits inside a
 * number (`20241207` in `202412071`, which used to turn the kept JSON invalid and, on a static
 * route, end the process). What cannot be copied is kept as a marker. And a record's size is
 * bounded in bytes, however large or wide the body (in-process: no process needed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInspector } from "../../src/inspect/inspector.js";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const KEY = "20241207";
const dir = mkdtempSync(join(tmpdir(), "whs-inspector-recording-"));
let server: RunningServer;

beforeAll(async () => {
  mkdirSync(join(dir, "handlers"));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(
    join(dir, "handlers/odd.mjs"),
    `export function circularReply() { const r = { text: "hi" }; r.self = r; return r; }
export function bigReply() { return { text: "hi", big: 10n }; }
export function logsCircular(turn, { log }) { const o = { a: 1 }; o.o = o; log.info(o, "circular"); return { text: "logged circular" }; }
export function logsBig(turn, { log }) { log.info({ big: 12345678901234567890n }, "bigint"); return { text: "logged bigint" }; }
`,
  );
  writeFileSync(
    join(dir, "config.yaml"),
    `webhooks:
  - path: /g
    platform: generic
    routes:
      - { event: circular-reply, handler: ./handlers/odd.mjs#circularReply }
      - { event: big-reply, handler: ./handlers/odd.mjs#bigReply }
      - { event: logs-circular, handler: ./handlers/odd.mjs#logsCircular }
      - { event: logs-big, handler: ./handlers/odd.mjs#logsBig }
  - path: /k
    platform: generic
    auth: { apiKey: { header: x-key, value: "${KEY}" } }
    routes:
      - { event: order, reply: { text: "order {{ params.orderNo }}" } }
`,
  );
  server = await spawnServer([join(dir, "config.yaml"), "--inspect"]);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Turn {
  status: number;
  body: unknown;
  reply?: unknown;
  response?: unknown;
  logs?: { msg?: string; data?: unknown }[];
}
const turns = async () => ((await (await fetch(`${server.url}/_inspect/api/turns`)).json()) as { turns: Turn[] }).turns;

describe("recording a turn", () => {
  it("answers every request whatever the handler returns or logs, and keeps markers for what JSON cannot hold", async () => {
    expect((await post(`${server.url}/g`, { type: "circular-reply" })).status).toBe(500);
    expect((await post(`${server.url}/g`, { type: "big-reply" })).status).toBe(500);
    expect((await post(`${server.url}/g`, { type: "logs-circular" })).body).toEqual({ text: "logged circular" });
    expect((await post(`${server.url}/g`, { type: "logs-big" })).body).toEqual({ text: "logged bigint" });
    const kept = await turns();
    expect(kept).toHaveLength(4);
    expect(kept[0]?.reply).toEqual({ text: "hi", self: "[circular]" });
    expect(kept[1]?.reply).toEqual({ text: "hi", big: "10n" });
    expect(kept[2]?.logs).toEqual([{ level: "info", msg: "circular", data: { a: 1, o: "[circular]" } }]);
    expect(kept[3]?.logs).toEqual([{ level: "info", msg: "bigint", data: { big: "12345678901234567890n" } }]);
  });

  it("keeps a number holding a secret's digits as a marker, and the server up (a static route)", async () => {
    const res = await post(`${server.url}/k`, { type: "order", params: { orderNo: 202412071 } }, { "x-key": KEY });
    expect(res.status).toBe(200);
    const last = (await turns()).at(-1);
    expect(last?.body).toEqual({ type: "order", params: { orderNo: "[redacted]" } });
    expect(JSON.stringify(last)).not.toContain(KEY);
    expect(server.child.exitCode).toBe(null);
    expect((await post(`${server.url}/k`, { type: "order", params: { orderNo: 1 } }, { "x-key": KEY })).status).toBe(200);
  });
});

describe("a record's memory", () => {
  it("is bounded in bytes: 300 turns of 1 MB bodies, or of 92k small keys, keep at most 200 × the cap", () => {
    const turnCap = 131_072;
    const inspector = createInspector({ secrets: () => [], turnCap });
    const wide = Object.fromEntries(Array.from({ length: 92_000 }, (_, i) => [`k${i}`, i]));
    const long = "x".repeat(1 << 20);
    for (let i = 0; i < 300; i++) {
      // Every tenth turn the wide one (each costs ~30 ms to walk: enough to show the bound).
      const record = inspector.record({ method: "POST", path: "/g", headers: {}, body: i % 10 ? long : wide, reply: { text: long }, status: 200, response: i % 10 ? { text: long } : { wide }, ms: 1 });
      expect(record).toBeDefined();
    }
    const kept = inspector.listJson();
    expect(kept).toHaveLength(200);
    // The estimate may overshoot by a few markers and the id/time, never by a value.
    for (const json of kept) expect(json.length).toBeLessThan(turnCap + 1024);
    expect(kept[0]).toContain("[truncated]");
    expect(kept.find((json) => json.includes('"k0":0'))).toContain("[truncated]");
  }, 60_000);
});
