/**
 * The inspector's replay tells the truth, through the real CLI: with dedupe on it runs the
 * handlers now (it used to answer the stored first reply) and says so in the record; a turn
 * refused for its credentials is replayed with the server's own only when the caller confirms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const dir = mkdtempSync(join(tmpdir(), "whs-inspector-replay-"));
let server: RunningServer;
const CHANGE = { "x-inspect-request": "1" };
const replay = (id: number, body: unknown = {}) => post(`${server.url}/_inspect/api/turns/${id}/replay`, body, CHANGE);

beforeAll(async () => {
  mkdirSync(join(dir, "handlers"));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(join(dir, "handlers/count.mjs"), "let calls = 0;\nexport default () => ({ text: `call ${++calls}` });\n");
  writeFileSync(
    join(dir, "config.yaml"),
    `webhooks:
  - path: /d
    platform: generic
    dedupe: { key: params.id }
    routes:
      - { event: hi, handler: ./handlers/count.mjs }
  - path: /k
    platform: generic
    auth: { apiKey: { header: x-key, value: right-key-4e1b } }
    routes:
      - { event: hi, reply: { text: "secret area" } }
`,
  );
  server = await spawnServer([join(dir, "config.yaml"), "--inspect"]);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("replay", () => {
  it("runs the handlers now, not the dedupe store's first answer, and says so", async () => {
    const turn = { type: "hi", params: { id: "delivery-1" } };
    expect((await post(`${server.url}/d`, turn)).body).toEqual({ text: "call 1" });
    // A real duplicate delivery is still answered from the store.
    expect((await post(`${server.url}/d`, turn)).body).toEqual({ text: "call 1" });
    const res = await replay(1);
    expect(res.body).toMatchObject({ replayOf: 1, response: { text: "call 2" }, changed: ["text"] });
    expect((res.body as { replayNote: string }).replayNote).toMatch(/^ran through the current handlers now \(never answered from the dedupe store\)$/);
  });

  it("asks before replaying a turn refused for its credentials, then replays it with the server's own and marks it", async () => {
    expect((await post(`${server.url}/k`, { type: "hi" }, { "x-key": "wrong-key-0000" })).status).toBe(401);
    const id = 4;
    const refused = await replay(id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "WHS_ERR_REPLAY_NEEDS_CONFIRM" } });
    const confirmed = await replay(id, { confirm: true });
    expect(confirmed.body).toMatchObject({ replayOf: id, status: 200, response: { text: "secret area" } });
    expect((confirmed.body as { replayNote: string }).replayNote).toContain("first refused for its credentials, this replay carried the server's own");
    // Neither the right key nor the wrong one reaches the page.
    const all = await (await fetch(`${server.url}/_inspect/api/turns`)).text();
    expect(all).not.toContain("right-key-4e1b");
    expect(all).not.toContain("wrong-key-0000");
  });
});
