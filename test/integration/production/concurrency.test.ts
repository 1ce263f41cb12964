/**
 * Route `concurrency`: a slow handler limited to 2 calls; 4 parallel requests → 2 run the
 * handler, 2 get the fallback; without a fallback the excess gets 429 with the error body; the
 * limit holds across a reload.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest, esText } from "./es-request.js";

let server: RunningServer;
beforeAll(async () => {
  server = await spawnServer([`${FIXTURES}/production.yaml`]);
});
afterAll(async () => {
  await server?.stop();
});

describe("route concurrency", () => {
  it("answers the excess with the route's fallback", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => post(`${server.url}/es`, esRequest("limited.fallback", { ms: 400 }))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const texts = results.map((r) => esText(r.body)).sort();
    expect(texts).toEqual(["One moment, still looking.", "One moment, still looking.", "slow done", "slow done"]);
  });

  it("answers the excess with 429 and the error body when there is no fallback", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => post(`${server.url}/es`, esRequest("limited.strict", { ms: 400 }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429);
    expect(limited?.body).toEqual({ error: { code: "WHS_ERR_TOO_MANY_REQUESTS", message: "Too many requests in flight for this route" } });
    // The slots are free again once the slow calls finished.
    expect((await post(`${server.url}/es`, esRequest("limited.strict", { ms: 1 }))).status).toBe(200);
  });

  it("counts a handler past its deadline until it really ends", async () => {
    const first = post(`${server.url}/es`, esRequest("limited.stubborn", { ms: 800 }));
    expect((await first).status).toBe(504);
    // The deadline answered, but the handler is still running: its slot is taken.
    expect((await post(`${server.url}/es`, esRequest("limited.stubborn", { ms: 1 }))).status).toBe(429);
    // Free once the handler really ends (~800 ms after it started).
    await vi.waitFor(async () => expect((await post(`${server.url}/es`, esRequest("limited.stubborn", { ms: 1 }))).status).toBe(200), { timeout: 5000, interval: 100 });
  });

  it("keeps the limit across a reload: calls still running on the old runtime count against the new one", async () => {
    const before = (server.output().match(/slow started/g) ?? []).length;
    const running = [1, 2].map(() => post(`${server.url}/es`, esRequest("limited.strict", { ms: 1200 })));
    await server.waitForOutput(new RegExp(`(slow started[\\s\\S]*){${before + 2}}`));
    server.child.kill("SIGHUP");
    await server.waitForOutput("reloaded in");
    expect((await post(`${server.url}/es`, esRequest("limited.strict", { ms: 1 }))).status).toBe(429);
    expect((await Promise.all(running)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post(`${server.url}/es`, esRequest("limited.strict", { ms: 1 }))).status).toBe(200);
  });
});
