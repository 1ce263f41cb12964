#!/usr/bin/env node
/**
 * `npm run soak [-- --minutes 10]` (not in CI): the built CLI under a steady load of half its
 * measured maximum rate, for 10 minutes, with a reload (SIGHUP) every 5 s, dedupe on a real
 * redis-server that is stopped and restarted in the middle, and routes whose handler always
 * throws (500 expected) or always passes its deadline (the fallback's 200 expected).
 * Reports every answer that was not the expected one, RSS and active handles over time, and
 * exits 1 on an unexpected failure, RSS drift beyond ±10 % or growing handles.
 * All traffic goes to 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { clearInterval, setInterval } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./lib/free-port.js";
import { pollUntil, send } from "./lib/http-client.js";
import { buildRequest } from "./lib/request-body.js";
import { CLI, spawnNode } from "./lib/spawn-server.js";

const { values } = parseArgs({ options: { minutes: { type: "string", default: "10" } } });
const minutes = Number(values.minutes);
const dir = mkdtempSync(join(tmpdir(), "webhook-serve-soak-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

// --- redis-server on a free port, restartable on the same port
const redisPort = await freePort();
let redis;
const startRedis = async () => {
  redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const s = request({ host: "127.0.0.1", port: redisPort, method: "GET" }).on("error", () => resolve(false));
      s.on("socket", (socket) => socket.on("connect", () => (s.destroy(), resolve(true))));
      s.end();
    });
    if (up) return;
    await sleep(50);
  }
  throw new Error("redis-server did not start (apt-get install redis-server)");
};
await startRedis();
process.on("exit", () => redis?.kill("SIGKILL"));

// --- the config: a template route, a JS handler, one that throws, one past its deadline
writeFileSync(
  join(dir, "handlers.mjs"),
  [
    "export const ok = (turn) => ({ text: `Hi ${turn.params.name}` });",
    'export const boom = () => { throw new Error("soak: this handler always throws"); };',
    "export const late = (_t, { signal }) => new Promise((r) => { const t = setTimeout(() => r({ text: 'too late' }), 1000); signal.addEventListener('abort', () => clearTimeout(t)); });",
  ].join("\n"),
);
const configFile = join(dir, "config.yaml");
const writeConfig = (version) =>
  writeFileSync(
    configFile,
    [
      "server:",
      "  logLevel: warn",
      `  dedupe: { store: "redis://127.0.0.1:${redisPort}/0", ttl: 1m }`,
      "webhooks:",
      "  - path: /dialogflow",
      "    platform: dialogflow",
      "    routes:",
      `      - { intent: static, reply: { text: "v${version} Hello {{ params.name }}" } }`,
      "      - { intent: handler, handler: ./handlers.mjs#ok }",
      "      - { intent: boom, handler: ./handlers.mjs#boom }",
      '      - { intent: late, handler: ./handlers.mjs#late, timeout: 50ms, fallback: { reply: { text: "fallback" } } }',
      "",
    ].join("\n"),
  );
writeConfig(0);

const port = await freePort();
const server = spawnNode([CLI, configFile, "--port", String(port), "--host", "127.0.0.1"]);
const base = `http://127.0.0.1:${port}`;
await pollUntil(`${base}/healthz`, { method: "GET" }, (a) => a.status === 200, { deadlineMs: 15_000, gapMs: 20, isAlive: server.alive });

// --- the load: each request a fresh delivery (responseId), intent by a fixed mix
const MIX = [...Array(90).fill("static-or-handler"), ...Array(5).fill("boom"), ...Array(5).fill("late")];
const templates = { static: buildRequest("static").json, handler: buildRequest("handler").json, boom: buildRequest("boom").json, late: buildRequest("late").json };
let n = 0;
function nextRequest() {
  const pick = MIX[n % MIX.length] === "static-or-handler" ? (n % 2 === 0 ? "static" : "handler") : MIX[n % MIX.length];
  n++;
  const body = JSON.stringify({ ...templates[pick], responseId: `soak-${process.pid}-${n}` });
  return { pick, body };
}
const EXPECTED = { static: 200, handler: 200, boom: 500, late: 200 };

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const tally = { sent: 0, ok: 0, expectedFailures: 0, unexpected: 0, samples: [] };
function fire() {
  const { pick, body } = nextRequest();
  tally.sent++;
  return new Promise((resolve) => {
    const req = request(`${base}/dialogflow`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => {
        const want = EXPECTED[pick];
        if (res.statusCode === want && want === 200) tally.ok++;
        else if (res.statusCode === want) tally.expectedFailures++;
        else {
          tally.unexpected++;
          if (tally.samples.length < 20) tally.samples.push(`${pick}: status ${res.statusCode}`);
        }
        resolve();
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error("no answer in 5 s")));
    req.on("error", (error) => {
      tally.unexpected++;
      if (tally.samples.length < 20) tally.samples.push(`${pick}: ${error.message}`);
      resolve();
    });
    req.end(body);
  });
}

// Maximum rate: 5 s with 64 requests always in flight.
async function measureMax(seconds) {
  const until = Date.now() + seconds * 1000;
  const before = tally.sent;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (Date.now() < until) await fire();
  }));
  return (tally.sent - before) / seconds;
}
const max = await measureMax(5);
const rate = Math.floor(max / 2);
Object.assign(tally, { sent: 0, ok: 0, expectedFailures: 0, unexpected: 0, samples: [] });
console.log(`soak: max ${Math.round(max)} req/s measured; running ${minutes} min at ${rate} req/s, reload every 5 s, Redis restart at the half`);

// --- observations: RSS and active handles every 5 s
const rssOf = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const handlesOf = async () => Number(/^nodejs_active_handles_total (\d+)/m.exec((await send(`${base}/metrics`, { method: "GET" })).text)?.[1] ?? NaN);
const observations = [];
const started = Date.now();
const end = started + minutes * 60_000;
let reloads = 0;
let redisRestarted = false;
const reloader = setInterval(() => {
  writeConfig(++reloads);
  server.child.kill("SIGHUP");
}, 5000);
const observer = setInterval(async () => {
  observations.push({ s: Math.round((Date.now() - started) / 1000), rss: rssOf(), handles: await handlesOf().catch(() => NaN) });
}, 5000);

// Paced: every 10 ms, send the share of the rate that is due.
let due = 0;
const inflight = new Set();
while (Date.now() < end) {
  if (!redisRestarted && Date.now() > started + (end - started) / 2) {
    redisRestarted = true;
    redis.kill("SIGTERM");
    void sleep(3000).then(startRedis).then(() => console.log("redis restarted"));
    console.log("redis stopped");
  }
  due += rate / 100;
  while (due >= 1) {
    due--;
    const p = fire();
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  }
  await sleep(10);
}
clearInterval(reloader);
clearInterval(observer);
await Promise.all(inflight);
agent.destroy();
await server.stop();

// --- report
const window = (from, to) => observations.filter((o) => o.s >= from && o.s <= to);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const total = minutes * 60;
// After warm-up (the first tenth) against the last tenth: for 10 minutes, 60–120 s and 540–600 s.
const early = window(total * 0.1, total * 0.2).length > 0 ? window(total * 0.1, total * 0.2) : observations.slice(0, 2);
const late = window(total * 0.9, total).length > 0 ? window(total * 0.9, total) : observations.slice(-2);
const rssEarly = median(early.map((o) => o.rss));
const rssLate = median(late.map((o) => o.rss));
const drift = (rssLate - rssEarly) / rssEarly;
const handlesEarly = median(early.map((o) => o.handles));
const handlesLate = median(late.map((o) => o.handles));
console.log(`requests: ${tally.sent} sent (${Math.round(tally.sent / total)} req/s), ${tally.ok} answered 200, ${tally.expectedFailures} expected 500s (handler throws), ${tally.unexpected} unexpected`);
for (const s of tally.samples) console.log(`  unexpected: ${s}`);
console.log(`reloads: ${reloads}; redis restarted: ${redisRestarted}`);
console.log(`RSS: ${rssEarly.toFixed(1)} MB (median of the second tenth) → ${rssLate.toFixed(1)} MB (median of the last tenth), drift ${(drift * 100).toFixed(1)} %`);
console.log(`active handles: ${handlesEarly} → ${handlesLate}`);
console.log(`samples (s: RSS MB / handles): ${observations.map((o) => `${o.s}: ${o.rss.toFixed(0)}/${o.handles}`).join(", ")}`);
const ok = tally.unexpected === 0 && Math.abs(drift) <= 0.1 && !(handlesLate > handlesEarly + 2);
console.log(ok ? "soak: PASS" : "soak: FAIL");
process.exit(ok ? 0 : 1);
