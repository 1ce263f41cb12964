/**
 * The inspector's live event stream through the real CLI: a reader that stops reading is
 * dropped instead of buffered for (it grew the heap to 2 GB), and an open page does not hold
 * shutdown (SIGTERM with it open waited the 10 s timeout and exited 1).
 */
import { connect } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer } from "../helpers/spawn-server.js";

const dir = mkdtempSync(join(tmpdir(), "whs-inspector-streams-"));
const CONFIG = join(dir, "config.yaml");

beforeAll(() => {
  writeFileSync(CONFIG, 'webhooks:\n  - path: /g\n    platform: generic\n    routes:\n      - { event: hi, reply: { text: "hello" } }\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the inspector's event stream", () => {
  it("drops a reader that stopped reading; the server keeps answering", async () => {
    const server = await spawnServer([CONFIG, "--inspect"]);
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    // Asks for the stream, reads its first line (subscribed), then never reads again.
    socket.write("GET /_inspect/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(String(await new Promise((resolve) => socket.once("data", resolve)))).toContain(": connected");
    socket.pause();
    const big = { type: "hi", params: { blob: "y".repeat(100_000) } };
    // Each turn is ~130 KB of events; the kernel's buffers take a few MB before the server's grows.
    for (let i = 0; i < 400 && !server.output().includes("dropped an /events reader"); i++) expect((await post(`${server.url}/g`, big)).status).toBe(200);
    const line = (await server.waitForOutput("dropped an /events reader")).split("\n").find((l) => l.includes("dropped an /events reader")) as string;
    expect((JSON.parse(line) as { behind: number }).behind).toBeLessThan(2 << 20);
    expect((await post(`${server.url}/g`, { type: "hi" })).status).toBe(200);
    socket.destroy();
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it("does not hold shutdown while a page is open: SIGTERM exits 0 at once", async () => {
    const server = await spawnServer([CONFIG, "--watch"]);
    const res = await fetch(`${server.url}/_inspect/api/events`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(": connected");
    const code = await server.stop();
    expect(server.output()).not.toContain("shutdown timed out");
    expect(code).toBe(0);
    // The page's stream was ended by the server, not cut.
    expect((await reader.read()).done).toBe(true);
  });
});
