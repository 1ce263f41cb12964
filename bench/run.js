/**
 * @module `npm run bench`: webhook-serve's built CLI against the webhooks a user would write
 * by hand (bare Fastify and bare node:http, with the same basic-auth check and a small reply) and
 * express + dialogflow-fulfillment 0.6.1, all as child processes on 127.0.0.1 (servers pinned
 * apart from the load generator with taskset), loaded with autocannon in at least five
 * alternating rounds whose medians give the ratios; then 30 s more of continuous load on the
 * 1,000-route server and bare Fastify for their steady-state RSS; then cold start and hot reload.
 * Prints the tables, every target with PASS/MISS, and writes bench/results.json.
 *
 * Environment: BENCH_DURATION (s per round, default 2), BENCH_ROUNDS (default 8, at least 5),
 * BENCH_CONNECTIONS (default 50), BENCH_SOAK (s of steady-state load, default 30, 0 skips it),
 * BENCH_QUICK=1 (5 rounds, 10 s soak, 5 spawns, 50 reloads),
 * BENCH_ONLY=throughput,stages,cold,reload,scaling,instructions (a subset of the sections),
 * BENCH_PROFILE=1 (CPU profiles of the webhook-serve throughput servers into bench/profiles/;
 * the profiler slows them down). `instructions` (callgrind's count per request, which does not
 * move with the host's load) runs where valgrind is installed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureColdStart } from "./lib/cold-start.js";
import { measureFilterCost } from "./lib/filter-cost.js";
import { BASIC_PASS, BASIC_USER, EXPECTED_TEXT, WEBHOOK_PATH, writeConfigs } from "./lib/configs.js";
import { freePort } from "./lib/free-port.js";
import { pollUntil, send } from "./lib/http-client.js";
import { loadRound } from "./lib/load-round.js";
import { measureInstructions, VALGRIND } from "./lib/instructions.js";
import { measureReload } from "./lib/reload.js";
import { measureRouteScaling } from "./lib/route-scaling.js";
import { measureStageCost } from "./lib/stage-cost.js";
import { markdownTable, table, verdictNotes, verdictRows, verdicts } from "./lib/report.js";
import { buildRequest } from "./lib/request-body.js";
import { CLI, PEERS, PIN, REPO_ROOT, spawnNode } from "./lib/spawn-server.js";
import { median } from "./lib/stats.js";

const quick = process.env.BENCH_QUICK === "1";
const settings = {
  // Eight short rounds (forward, backward, …) cancel drift and catch quiet moments on a shared host.
  duration: Number(process.env.BENCH_DURATION ?? 2),
  // At least five alternating rounds: the ratios are medians of them.
  rounds: Math.max(5, Number(process.env.BENCH_ROUNDS ?? (quick ? 5 : 8))),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  coldRuns: quick ? 5 : 10,
  reloadEdits: quick ? 10 : 20,
  reloads: quick ? 50 : 200,
  warmup: 1,
  // Seconds of continuous load after the rounds, for the steady-state RSS (0 skips it).
  soak: Number(process.env.BENCH_SOAK ?? (quick ? 10 : 30)),
};
/** The servers whose steady-state RSS is measured: the target's pair. */
const SOAKED = ["ws1000warn", "fastify"];
const SOAK_SLICE = 5;
const only = new Set((process.env.BENCH_ONLY ?? "throughput,stages,cold,reload,scaling,instructions").split(",").map((s) => s.trim()));
const resultsPath = fileURLToPath(new URL("./results.json", import.meta.url));

if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) {
  process.stderr.write("bench: dist/ is missing; run `npm run bench` (it builds first)\n");
  process.exit(1);
}
// Ctrl-C: exit through process.exit so spawn-server's exit hook kills the children.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

const dir = mkdtempSync(join(tmpdir(), "webhook-serve-bench-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const configs = writeConfigs(dir);
const request = buildRequest("intent-999");
// Issue 2's comparison: the API.AI sample payload, as the agent sends it.
const authHeader = `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASS}`).toString("base64")}`;
const jsonHeaders = { "content-type": "application/json" };

const log = (line = "") => process.stdout.write(`${line}\n`);

/** Did a webhook-serve / express answer carry the reply text? */
const repliesHello = (answer) => answer.status === 200 && answer.text.includes(EXPECTED_TEXT);
/** webhook-serve and the hand-written peers: the Dialogflow ES reply text, exactly. */
const esReply = (answer) => {
  if (answer.status !== 200) return false;
  try {
    return JSON.parse(answer.text).fulfillmentText === EXPECTED_TEXT;
  } catch {
    return false;
  }
};


// BENCH_PROFILE=1: webhook-serve runs under --cpu-prof (written on SIGTERM; summarize with bench/profile-summary.js).
const profileDir = process.env.BENCH_PROFILE === "1" ? fileURLToPath(new URL("./profiles/", import.meta.url)) : undefined;
const profileArgs = (name) => (profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
const wsArgs = (config) => (port) => [
  ...profileArgs(basename(config, ".yaml")),
  CLI,
  config,
  "--port",
  String(port),
  "--log-level",
  config === configs.r1000info ? "info" : "warn",
];
/** What the Docker image puts in NODE_OPTIONS (a bench child gets no NODE_OPTIONS, so it is an argument here). */
const YOUNG_GENERATION_CAP = "--max-semi-space-size=4";
const SERVERS = [
  { key: "ws1000warn", label: "webhook-serve, 1,000 routes, warn", args: wsArgs(configs.r1000warn), auth: true, accept: esReply },
  { key: "ws10warn", label: "webhook-serve, 10 routes, warn", args: wsArgs(configs.r10warn), auth: true, accept: esReply },
  { key: "ws1000when", label: "webhook-serve, 1,000 routes + 10 when, warn", args: wsArgs(configs.r1000when), auth: true, accept: esReply },
  { key: "ws1000info", label: "webhook-serve, 1,000 routes, info → /dev/null", args: wsArgs(configs.r1000info), auth: true, accept: esReply },
  { key: "wsHandler", label: "webhook-serve, JS handler route, warn", args: wsArgs(configs.coldJs), auth: true, accept: esReply },
  // As the Docker image runs it: NODE_OPTIONS caps V8's young generation at 8 MB (Dockerfile).
  { key: "ws1000young", label: "webhook-serve, 1,000 routes, warn, --max-semi-space-size=4", args: (port) => [YOUNG_GENERATION_CAP, ...wsArgs(configs.r1000warn)(port)], auth: true, accept: esReply },
  // The webhooks a user would write by hand, with the same basic-auth check and a small reply.
  { key: "fastify", label: "bare Fastify, hand-written ES webhook", args: (port) => [PEERS.fastify, String(port), BASIC_USER, BASIC_PASS], auth: true, accept: esReply },
  { key: "nodeHttp", label: "bare node:http, hand-written ES webhook", args: (port) => [PEERS.nodeHttp, String(port), BASIC_USER, BASIC_PASS], auth: true, accept: esReply },
  { key: "express", label: "express + dialogflow-fulfillment 0.6.1", args: (port) => [PEERS.express, String(port), "1000"], auth: false, accept: repliesHello },
];

const serverByKey = (key) => SERVERS.find((server) => server.key === key);
const headersFor = (server) => (server.auth ? { authorization: authHeader } : {});
const requestAt = (port, server) => ({
  url: `http://127.0.0.1:${port}${server.path ?? WEBHOOK_PATH}`,
  options: { method: "POST", body: server.body ?? request.body, headers: { ...jsonHeaders, ...headersFor(server) } },
});

/** The round with the highest rate. */
const best = (list) => list.reduce((a, b) => (b.rps > a.rps ? b : a));

async function throughput() {
  const started = [];
  try {
    for (const server of SERVERS) {
      const port = await freePort();
      const proc = spawnNode(server.args(port));
      const { url, options } = requestAt(port, server);
      try {
        await pollUntil(url, options, server.accept, { deadlineMs: 20_000, gapMs: 20, isAlive: proc.alive, failOnAnswer: true });
        if (server.auth) {
          // Prove basic auth is in the measured pipeline: a wrong password must be refused.
          const wrong = await send(url, { ...options, headers: { ...options.headers, authorization: `Basic ${Buffer.from(`${BASIC_USER}:nope`).toString("base64")}` } });
          if (wrong.status !== 401) throw new Error(`expected 401 with a wrong password, got ${wrong.status}`);
        }
      } catch (error) {
        await proc.stop();
        throw new Error(`${server.label}: not answering correctly: ${error instanceof Error ? error.message : String(error)}\n${proc.stderr()}`);
      }
      started.push({ server, proc, url });
    }
    const load = (entry, duration) =>
      loadRound({ url: entry.url, body: entry.server.body ?? request.body, headers: headersFor(entry.server), pid: entry.proc.pid, connections: settings.connections, duration });

    log(`warm-up: ${settings.warmup} s each`);
    for (const entry of started) await load(entry, settings.warmup);

    const rounds = Object.fromEntries(started.map((e) => [e.server.key, []]));
    for (let r = 0; r < settings.rounds; r++) {
      // Forward, then backward: a linear drift (heat, turbo) cancels out over a pair of rounds.
      const order = r % 2 === 0 ? started : [...started].reverse();
      for (const entry of order) {
        const result = await load(entry, settings.duration);
        if (!entry.proc.alive()) throw new Error(`${entry.server.label} exited during load:\n${entry.proc.stderr()}`);
        rounds[entry.server.key].push(result);
        log(`round ${r + 1}/${settings.rounds}  ${entry.server.label.padEnd(46)} ${Math.round(result.rps).toLocaleString("en-US").padStart(7)} req/s${result.bad ? `  (${result.bad} errors/non-2xx!)` : ""}`);
      }
    }
    // V8 doubles a young generation each time its scavenges' survivors add up to its size; a
    // server that allocates more per request gets there sooner, so the rounds' peaks can catch
    // one server grown and its peer not yet. After more continuous load both have grown to
    // V8's cap: slices of 5 s show the plateau.
    const steady = {};
    for (const entry of started.filter((e) => SOAKED.includes(e.server.key))) {
      const slices = [];
      for (let done = 0; done < settings.soak; done += SOAK_SLICE) {
        const result = await load(entry, SOAK_SLICE);
        if (!entry.proc.alive()) throw new Error(`${entry.server.label} exited during load:\n${entry.proc.stderr()}`);
        slices.push(result);
      }
      steady[entry.server.key] = slices;
      if (slices.length > 0) log(`steady RSS  ${entry.server.label.padEnd(46)} peak per ${SOAK_SLICE} s: ${slices.map((x) => x.rssMb.toFixed(1)).join(" → ")} MB`);
    }
    const summary = {};
    for (const [key, list] of Object.entries(rounds)) {
      summary[key] = {
        label: SERVERS.find((s) => s.key === key).label,
        // Ratios use the median of the alternating rounds (a best round flatters everyone).
        rps: median(list.map((x) => x.rps)),
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
        bestRps: best(list).rps,
        rssMb: Math.max(...list.map((x) => x.rssMb)),
        // Server CPU per request (user + system, /proc): less disturbed by the host than the rate.
        cpuUs: list.every((x) => x.cpuUs !== undefined) ? median(list.map((x) => x.cpuUs)) : undefined,
        // (max − min) ÷ median of the rounds' rates: how much the host disturbed this server's rounds.
        spread: (Math.max(...list.map((x) => x.rps)) - Math.min(...list.map((x) => x.rps))) / median(list.map((x) => x.rps)),
        bad: [...list, ...(steady[key] ?? [])].reduce((a, x) => a + x.bad, 0),
        rounds: list,
        ...(steady[key]?.length ? { steadyRssMb: Math.max(...steady[key].map((x) => x.rssMb)), steadyTrendMb: steady[key].map((x) => x.rssMb), steadySeconds: steady[key].length * SOAK_SLICE } : {}),
      };
    }
    return summary;
  } finally {
    for (const { proc } of started) await proc.stop();
  }
}

async function coldStarts() {
  const wsServer = SERVERS[0];
  const kinds = [
    { key: "js", label: "webhook-serve, JS handler", argsFor: (port) => [CLI, configs.coldJs, "--port", String(port), "--log-level", "warn"], server: wsServer, accept: esReply },
    { key: "ts", label: "webhook-serve, TS handler", argsFor: (port) => [CLI, configs.coldTs, "--port", String(port), "--log-level", "warn"], server: wsServer, accept: esReply },
    { key: "fastify", label: "bare Fastify, hand-written ES webhook", argsFor: (port) => [PEERS.fastify, String(port), BASIC_USER, BASIC_PASS], server: serverByKey("fastify"), accept: esReply },
    { key: "express", label: "express + dialogflow-fulfillment", argsFor: (port) => [PEERS.express, String(port), "1000"], server: serverByKey("express"), accept: repliesHello },
  ];
  // Alternating kinds, one spawn each per round: a drift of the host (caches, turbo) hits all alike.
  const out = Object.fromEntries(kinds.map((k) => [k.key, { label: k.label, runsMs: [] }]));
  for (let r = 0; r < settings.coldRuns; r++) {
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      const result = await measureColdStart({ argsFor: kind.argsFor, request: (port) => requestAt(port, kind.server), accept: kind.accept, runs: 1 });
      out[kind.key].runsMs.push(...result.runsMs);
    }
  }
  for (const kind of kinds) {
    const result = out[kind.key];
    result.medianMs = median(result.runsMs);
    log(`cold start  ${kind.label.padEnd(34)} median ${result.medianMs.toFixed(0)} ms  (${result.runsMs.map((x) => x.toFixed(0)).join(", ")})`);
  }
  return out;
}

function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

function readPrevious() {
  try {
    return JSON.parse(readFileSync(resultsPath, "utf8"));
  } catch {
    return undefined;
  }
}

async function main() {
  const benchStarted = Date.now();
  const previous = readPrevious();
  log(`webhook-serve bench: Node ${process.version}, ${cpus().length} CPUs, ${settings.connections} connections, ${settings.rounds} alternating rounds × ${settings.duration} s${quick ? " (quick)" : ""}`);
  log(`request: Dialogflow ES, ${Buffer.byteLength(request.body)} bytes, basic auth, intent-999 (the last route)${PIN ? "; servers pinned to core 0, load on the others (taskset)" : ""}`);
  const loadBefore = loadavg()[0];
  if (loadBefore > 1) log(`note: load average ${loadBefore.toFixed(1)} before start; other work on this machine will distort the figures`);
  log();

  const t = only.has("throughput") ? await throughput() : {};
  const cold = only.has("cold") ? await coldStarts() : {};
  let reload;
  if (only.has("reload")) {
    reload = await measureReload({
      configPath: configs.reload,
      handlerPath: join(dir, "handlers", "reload.ts"),
      request: (port) => requestAt(port, SERVERS[0]),
      edits: settings.reloadEdits,
      reloads: settings.reloads,
    });
    log(
      "skipped" in reload
        ? `reload: skipped: ${reload.skipped}`
        : `reload: median ${reload.medianMs.toFixed(0)} ms over ${reload.editsMs.length} edits; RSS every 50 of ${reload.reloads + 100} reloads: ${reload.rssTrendMb.map((x) => x.toFixed(1)).join(" → ")} MB (${reload.rssAfterMb.toFixed(1)} MB after 1 s; growth over ${reload.reloads} = median of reloads ${reload.reloads + 10}–${reload.reloads + 100} − median of 10–100)`,
    );
  }

  let scaling;
  if (only.has("scaling")) {
    scaling = await measureRouteScaling({ dir, runs: quick ? 3 : 5 });
    log(`route scaling (a when filter and a template each): ${scaling.map((s) => `${s.routes.toLocaleString("en-US")} routes start in ${s.startMs.toFixed(0)} ms, ${s.rssMb.toFixed(1)} MB RSS`).join("; ")}`);
  }

  let instructions;
  if (only.has("instructions") && VALGRIND) {
    instructions = {};
    // BENCH_INSTRUCTIONS=wsHandler,fastify counts only those servers (an A/B of one route).
    const keys = process.env.BENCH_INSTRUCTIONS?.split(",") ?? ["ws1000warn", "ws10warn", "wsHandler", "ws1000info", "fastify"];
    for (const key of keys) {
      const server = serverByKey(key);
      instructions[key] = await measureInstructions({ args: server.args, path: server.path ?? WEBHOOK_PATH, body: server.body ?? request.body, headers: { ...jsonHeaders, ...headersFor(server) }, accept: server.accept, warm: 3000, count: 2000 });
      log(`instructions per request (callgrind, 2,000 requests after 3,000): ${server.label} ${Math.round(instructions[key]).toLocaleString("en-US")}`);
    }
  } else if (only.has("instructions")) log("instructions: skipped (valgrind is not installed)");

  let filters;
  if (only.has("throughput")) {
    filters = await measureFilterCost({ plain: configs.r1000warn, filtered: configs.r1000when, body: request.body });
    log(`when filters (in-process router): ${filters.plainNs.toFixed(0)} ns per match without, ${filters.filteredNs.toFixed(0)} ns with the 10 filters`);
  }

  let stages;
  if (only.has("stages")) {
    stages = await measureStageCost({ config: configs.r1000warn, body: request.body, authorization: authHeader });
    log(`per-request steps (in-process, µs): ${stages.map((x) => `${x.key} ${x.us.toFixed(2)}`).join(", ")}`);
  }

  const tpHeader = ["server", "req/s (median of rounds)", "ratio to bare Fastify", "round spread", "CPU µs/req", "p50 ms", "p99 ms", "peak RSS MB", "steady RSS MB"];
  const tpRows = Object.values(t).map((s) => [
    s.label + (s.bad ? " (errors!)" : ""),
    Math.round(s.rps).toLocaleString("en-US"),
    t.fastify ? `${(s.rps / t.fastify.rps).toFixed(2)}×` : "",
    `${(s.spread * 100).toFixed(0)} %`,
    s.cpuUs === undefined ? "–" : s.cpuUs.toFixed(1),
    s.p50.toFixed(1),
    s.p99.toFixed(1),
    s.rssMb.toFixed(1),
    s.steadyRssMb === undefined ? "–" : s.steadyRssMb.toFixed(1),
  ]);
  const coldHeader = ["cold start (spawn → first 200)", "median ms", "min ms", "max ms"];
  const coldRows = Object.values(cold).map((c) => [c.label, c.medianMs.toFixed(0), Math.min(...c.runsMs).toFixed(0), Math.max(...c.runsMs).toFixed(0)]);
  const stageHeader = ["step (in-process, one request)", "µs"];
  const stageRows = (stages ?? []).map((x) => [x.label, x.us.toFixed(2)]);
  const list = verdicts(t, { js: cold.js?.medianMs, ts: cold.ts?.medianMs, fastify: cold.fastify?.medianMs }, reload, filters, scaling, instructions);
  const vHeader = ["target", "value", "goal", "result", "previous run"];
  const vRows = verdictRows(list, previous?.verdicts);

  log();
  for (const [header, rows] of [[tpHeader, tpRows], [stageHeader, stageRows], [coldHeader, coldRows]]) {
    if (rows.length === 0) continue;
    log(table(header, rows));
    log();
  }
  log(table(vHeader, vRows));
  for (const note of verdictNotes(list)) log(note);
  const worstSpread = Math.max(0, ...Object.values(t).map((s) => s.spread));
  if (worstSpread > 0.2) {
    log(`warning: one server's rounds differ by ${(worstSpread * 100).toFixed(0)} % (load average ${loadavg()[0].toFixed(1)}): the host was busy; ratios use each server's median round; confirm on an idle machine or raise BENCH_ROUNDS`);
  }
  log();

  const results = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    settings,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    requestBytes: Buffer.byteLength(request.body),
    throughput: t,
    coldStart: cold,
    stages,
    reload,
    scaling,
    instructions,
    verdicts: list,
    markdown: [tpRows.length ? markdownTable(tpHeader, tpRows) : "", stageRows.length ? markdownTable(stageHeader, stageRows) : "", coldRows.length ? markdownTable(coldHeader, coldRows) : "", markdownTable(vHeader.slice(0, 4), vRows.map((r) => r.slice(0, 4)))]
      .filter(Boolean)
      .join("\n\n"),
    seconds: Math.round((Date.now() - benchStarted) / 1000),
  };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${resultsPath} (${results.seconds} s)`);
  if (profileDir) log(`profiles: ${profileDir} (node bench/profile-summary.js ${join(profileDir, "r1000warn.cpuprofile")})`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
