/**
 * @module Cost as the routing file grows: start-up (spawn → first answer) and resident memory
 * once answering, for 10, 1,000 and 10,000 routes that each have a `when` filter and a
 * templated reply, and the RSS each route adds (the 10,000-route server's over the 10-route
 * one's, per extra route). Medians of a few alternating spawns.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { freePort } from "./free-port.js";
import { pollUntil } from "./http-client.js";
import { rssMb } from "./rss.js";
import { CLI, spawnNode } from "./spawn-server.js";
import { median } from "./stats.js";

export const ROUTE_COUNTS = [10, 1000, 10000];

/** N Dialogflow ES routes `intent-0` … `intent-<N-1>`, each with a filter and a template. */
function routesYaml(count) {
  const lines = ["server: { logLevel: warn }", "webhooks:", "  - path: /dialogflow", "    platform: dialogflow", "    routes:"];
  for (let i = 0; i < count; i++) {
    lines.push(`      - intent: intent-${i}`, "        when: [{ key: queryResult.languageCode, equals: en }]", `        reply: { text: "Hello {{ params.name | default: \\"there\\" }} from ${i}" }`);
  }
  return `${lines.join("\n")}\n`;
}

/** The ES request for the last route. */
function requestFor(count) {
  return JSON.stringify({ responseId: "r", session: "projects/p/agent/sessions/s", queryResult: { queryText: "hi", languageCode: "en", intent: { displayName: `intent-${count - 1}` }, parameters: { name: "Ada" } } });
}

/**
 * @param {{ dir: string, runs: number }} options
 * @returns {Promise<{ routes: number, startMs: number, rssMb: number }[]>}
 */
export async function measureRouteScaling({ dir, runs }) {
  const files = new Map(ROUTE_COUNTS.map((count) => {
    const file = join(dir, `scaling-${count}.yaml`);
    writeFileSync(file, routesYaml(count));
    return [count, file];
  }));
  const samples = new Map(ROUTE_COUNTS.map((count) => [count, { start: [], rss: [] }]));
  for (let run = 0; run < runs; run++) {
    // Alternating order, so a drift of the host hits every size alike.
    for (const count of run % 2 === 0 ? ROUTE_COUNTS : [...ROUTE_COUNTS].reverse()) {
      const port = await freePort();
      const startedAt = performance.now();
      const server = spawnNode([CLI, files.get(count), "--port", String(port), "--log-level", "warn"]);
      try {
        const body = requestFor(count);
        const { ms } = await pollUntil(`http://127.0.0.1:${port}/dialogflow`, { method: "POST", body, headers: { "content-type": "application/json" } }, (answer) => answer.status === 200 && answer.text.includes(`from ${count - 1}`), {
          startedAt,
          deadlineMs: 60_000,
          gapMs: 5,
          isAlive: server.alive,
          failOnAnswer: true,
        });
        samples.get(count).start.push(ms);
        samples.get(count).rss.push(rssMb(server.pid) ?? Number.NaN);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${server.stderr()}`);
      } finally {
        await server.stop();
      }
    }
  }
  return ROUTE_COUNTS.map((count) => ({ routes: count, startMs: median(samples.get(count).start), rssMb: median(samples.get(count).rss) }));
}
