/**
 * @module Cold start: spawn → first accepted answer, polled in a tight loop, median of N spawns.
 * Each server is stopped before the next spawn so runs do not overlap.
 */
import { performance } from "node:perf_hooks";
import { freePort } from "./free-port.js";
import { pollUntil } from "./http-client.js";
import { spawnNode } from "./spawn-server.js";
import { median } from "./stats.js";

/**
 * @param {{ argsFor: (port: number) => string[], request: (port: number) => { url: string, options: object }, accept: (answer: { status: number, text: string }) => boolean, runs: number }} spec
 * @returns {Promise<{ medianMs: number, runsMs: number[] }>}
 */
export async function measureColdStart({ argsFor, request, accept, runs }) {
  const runsMs = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const { url, options } = request(port);
    const startedAt = performance.now();
    const server = spawnNode(argsFor(port));
    try {
      const { ms } = await pollUntil(url, options, accept, { startedAt, deadlineMs: 15_000, gapMs: 1, isAlive: server.alive, failOnAnswer: true });
      runsMs.push(ms);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${server.stderr()}`);
    } finally {
      await server.stop();
    }
  }
  return { medianMs: median(runsMs), runsMs };
}
