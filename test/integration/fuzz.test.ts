/**
 * The fuzzer of `npm run fuzz` (bench/lib/fuzz.js), seeded and small: 150 mutated requests per
 * webhook against the real CLI. Every answer is a documented status with a code from the
 * error table, none is a 500 or a hang, and the server is alive after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes } from "../../src/errors.js";
// @ts-expect-error -- plain JS module of the bench, typed by its JSDoc
import { runFuzz } from "../../bench/lib/fuzz.js";
import { spawnServer, type RunningServer } from "../helpers/spawn-server.js";

interface FuzzResult {
  sent: number;
  byStatus: Record<number, number>;
  failures: { request: unknown; why: string }[];
}

let server: RunningServer;
beforeAll(async () => {
  server = await spawnServer(["test/fixtures/fuzz/config.yaml"]);
});
afterAll(async () => {
  await server?.stop();
});

describe("fuzzing every adapter", () => {
  it.each([20261202, 7])("seed %i: 1,500 requests, all documented answers, server alive", { timeout: 60_000 }, async (seed) => {
    const result = (await runFuzz({ baseUrl: server.url, count: 150, seed, codes: new Set(Object.keys(errorCodes)) })) as FuzzResult;
    expect(result.failures).toEqual([]);
    expect(result.sent).toBe(1500);
    // The mutations keep enough requests well-formed to reach routes and handlers.
    expect(result.byStatus[200] ?? 0).toBeGreaterThan(300);
    expect(result.byStatus[400] ?? 0).toBeGreaterThan(300);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
