#!/usr/bin/env node
/**
 * `npm run fuzz [-- --count N --seed S]`: N fuzzed requests per webhook (default 100,000; 10
 * webhooks, one per platform plus auto) against the built CLI serving
 * test/fixtures/fuzz/config.yaml on 127.0.0.1. Prints the counts per status and every
 * failure (an undocumented status or code, a 500, a hang, the server gone). Exit 1 on any.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { errorCodes } from "../dist/index.js";
import { runFuzz, TARGETS } from "./lib/fuzz.js";
import { freePort } from "./lib/free-port.js";
import { pollUntil, send } from "./lib/http-client.js";
import { CLI, spawnNode } from "./lib/spawn-server.js";

const { values } = parseArgs({ options: { count: { type: "string", default: "100000" }, seed: { type: "string", default: String(Date.now() % 1e9) } } });
const count = Number(values.count);
const seed = Number(values.seed);
const config = fileURLToPath(new URL("../test/fixtures/fuzz/config.yaml", import.meta.url));
const port = await freePort();
const server = spawnNode([CLI, config, "--port", String(port), "--host", "127.0.0.1"]);
const baseUrl = `http://127.0.0.1:${port}`;
await pollUntil(`${baseUrl}/healthz`, { method: "GET" }, (a) => a.status === 200, { deadlineMs: 15_000, gapMs: 20, isAlive: server.alive });

const codes = new Set(Object.keys(errorCodes));
const started = Date.now();
let failures = [];
const byStatus = {};
let sent = 0;
// Batches of 1,000 per webhook, with a liveness check after each.
const batch = Math.min(1000, count);
for (let done = 0; done < count; done += batch) {
  const result = await runFuzz({ baseUrl, count: Math.min(batch, count - done), seed: seed + done, codes });
  sent += result.sent;
  for (const [status, n] of Object.entries(result.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
  failures = failures.concat(result.failures).slice(0, 50);
  const health = await send(`${baseUrl}/healthz`, { method: "GET" }).catch((error) => ({ status: 0, text: String(error) }));
  if (health.status !== 200 || !server.alive()) {
    failures.push({ request: "GET /healthz", why: `server not answering after ${sent} requests: ${health.text}` });
    break;
  }
  process.stderr.write(`\r${sent} / ${count * TARGETS.length} sent`);
}
process.stderr.write("\n");
const seconds = (Date.now() - started) / 1000;
console.log(`fuzz: seed ${seed}, ${sent} requests (${count} per webhook × ${TARGETS.length} webhooks) in ${seconds.toFixed(1)} s`);
console.log(`by status: ${Object.entries(byStatus).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
console.log(`failures: ${failures.length}`);
for (const f of failures.slice(0, 20)) console.log(`  ${f.why}\n    ${JSON.stringify(f.request).slice(0, 300)}`);
await server.stop();
process.exit(failures.length === 0 ? 0 : 1);
