#!/usr/bin/env node
/**
 * Measures `--watch` with the built CLI (run `npm run build` first): reload latency (file
 * write → first response from the new code, median over 20 edits; goal ≤ 300 ms) and the
 * server's RSS growth over 200 reloads of a handler (goal < 20 MB).
 * Prints one JSON line: {"medianReloadMs":…, "rssGrowthMb":…, "edits":20, "reloads":200}.
 * Usage: node scripts/measure-reload.js [--reloads 200] [--edits 20]
 */
/* global fetch */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EDITS = arg("edits", 20);
const RELOADS = arg("reloads", 200);
const BIN = fileURLToPath(new URL("../bin/webhook-serve.js", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "whs-measure-"));
mkdirSync(join(dir, "handlers/lib"), { recursive: true });
writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
writeFileSync(join(dir, "config.yaml"), "server:\n  logLevel: warn\nwebhooks:\n  - path: /hook\n    platform: generic\n    routes:\n      - event: hello\n        handler: ./handlers/hello.ts\n");
const handler = (v) => `import { greet } from "./lib/greet.js";\nexport default function hello() { return { text: greet("${v}") }; }\n`;
const lib = () => `export function greet(v: string): string { return "v=" + v; }\n`;
writeFileSync(join(dir, "handlers/hello.ts"), handler("0"));
writeFileSync(join(dir, "handlers/lib/greet.ts"), lib());

const child = spawn(process.execPath, [BIN, join(dir, "config.yaml"), "--watch", "--port", "0", "--log-level", "info"], { env: { ...process.env, NODE_ENV: "development" } });
let output = "";
child.stdout.on("data", (c) => (output += c));
child.stderr.on("data", (c) => (output += c));
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 15000);
  const check = () => {
    const m = /listening on (http:\/\/[^\s"]+)/.exec(output);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  };
  child.stdout.on("data", check);
  child.stderr.on("data", check);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ask = async () => {
  const res = await fetch(`${url}/hook`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"type":"hello"}' });
  return res.ok ? (await res.json()).text : `status ${res.status}`;
};
const rss = () => Number(readFileSync(`/proc/${child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const reloads = () => output.split("reloaded in").length - 1;

let version = 0;
async function editAndWait() {
  const v = String(++version);
  const before = reloads();
  const started = performance.now();
  writeFileSync(join(dir, "handlers/hello.ts"), handler(v));
  for (;;) {
    if ((await ask()) === `v=${v}`) break;
    await sleep(2);
  }
  const ms = performance.now() - started;
  // Let the reload log line land before the next edit, so edits never coalesce.
  while (reloads() === before) await sleep(2);
  return ms;
}

try {
  await sleep(300);
  const times = [];
  for (let i = 0; i < EDITS; i++) times.push(await editAndWait());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  for (let i = 0; i < 10; i++) await editAndWait(); // warm-up before the RSS baseline
  const base = rss();
  for (let i = 0; i < RELOADS; i++) await editAndWait();
  const growth = rss() - base;
  console.log(JSON.stringify({ medianReloadMs: Math.round(median), rssGrowthMb: Math.round(growth * 10) / 10, edits: EDITS, reloads: RELOADS }));
} finally {
  child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
