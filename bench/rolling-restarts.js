#!/usr/bin/env node
/**
 * `npm run rolling-restarts [-- --proxy nginx|haproxy --restarts 30]` (not in CI): three CLI
 * replicas behind a real nginx or haproxy, configured as docs/deploying.md says (only the
 * addresses differ), under a bounded load (a fixed number of keep-alive clients, each waiting
 * for its answer), restarted one after the other `--restarts` times: SIGTERM, wait for the exit,
 * start it again on its port, wait for its /readyz. Every answer that is not 200 is a lost
 * request; exits 1 if there is one. Needs the Debian packages `nginx` and `haproxy`. All
 * traffic goes to 127.0.0.1; the run ends after `--minutes` (default 10) whatever happens.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate, setTimeout } from "node:timers";
import { parseArgs } from "node:util";
import { freePort } from "./lib/free-port.js";
import { buildRequest } from "./lib/request-body.js";
import { CLI } from "./lib/spawn-server.js";

const { values } = parseArgs({
  options: { proxy: { type: "string", default: "nginx" }, restarts: { type: "string", default: "30" }, clients: { type: "string", default: "4" }, minutes: { type: "string", default: "10" } },
});
const proxy = values.proxy;
if (proxy !== "nginx" && proxy !== "haproxy") throw new Error("--proxy nginx or --proxy haproxy");
const restarts = Number(values.restarts);
const clients = Number(values.clients);
const dir = mkdtempSync(join(tmpdir(), `webhook-serve-rolling-${proxy}-`));
const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
// The whole run is bounded in time.
setTimeout(() => {
  console.error(`rolling restarts (${proxy}): still running after ${values.minutes} minutes; giving up`);
  process.exit(2);
}, Number(values.minutes) * 60_000).unref();

// --- the replicas' config: a handler that takes 20 ms, so requests are in flight at every SIGTERM
writeFileSync(join(dir, "handlers.mjs"), "export const greet = () => new Promise((resolve) => setTimeout(() => resolve({ text: 'hi' }), 20));\n");
writeFileSync(
  join(dir, "config.yaml"),
  ["server:", "  logLevel: warn", "webhooks:", "  - path: /es", "    platform: dialogflow", "    routes:", "      - intent: greet", "        handler: ./handlers.mjs#greet", ""].join("\n"),
);
const body = buildRequest("greet").body;

/** Resolves when `child`'s stderr matches `pattern`. */
function output(child, pattern) {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk) => {
      text += chunk;
      if (pattern.test(text)) {
        child.stderr.off("data", onData);
        resolve(text);
      }
    };
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${text}`)));
  });
}

function run(command, args) {
  const child = spawn(command, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** A replica on `port`, resolved once it listens (the CLI prints the line on stderr at level warn). */
async function startReplica(port) {
  const child = run(process.execPath, [CLI, join(dir, "config.yaml"), "--host", "127.0.0.1", "--port", String(port)]);
  await output(child, /listening on/);
  return child;
}

/** GET /readyz straight on a replica. */
function ready(port) {
  return new Promise((resolve) => {
    request({ host: "127.0.0.1", port, path: "/readyz", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    })
      .on("error", () => resolve(false))
      .end();
  });
}

const ports = [await freePort(), await freePort(), await freePort()];
const front = await freePort();
const replicas = await Promise.all(ports.map((port) => startReplica(port)));

// --- the proxy, as documented (docs/deploying.md), on 127.0.0.1 only
let proxyChild;
if (proxy === "nginx") {
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
worker_processes 1;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream bot {
${ports.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join("\n")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${front};
    location / {
      proxy_pass http://bot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 10s;
    }
  }
}
`,
  );
  proxyChild = run("nginx", ["-c", join(dir, "nginx.conf"), "-p", dir]);
} else {
  writeFileSync(
    join(dir, "haproxy.cfg"),
    `defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response 503
backend bot
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
${ports.map((port, n) => `  server bot${n + 1} 127.0.0.1:${port} check`).join("\n")}
frontend webhooks
  bind 127.0.0.1:${front}
  default_backend bot
`,
  );
  proxyChild = run("haproxy", ["-db", "-f", join(dir, "haproxy.cfg")]);
}

// --- bounded load: `clients` keep-alive clients, each sending its next request once answered
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const counts = { ok: 0, failed: 0 };
const failures = new Map();
function post() {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port: front, path: "/es", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? "ok" : `status ${res.statusCode}`));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve(error.code ?? error.message));
    req.end(body);
  });
}
// The proxy is up once an answer comes through it.
for (;;) {
  if ((await post()) === "ok") break;
  await new Promise((resolve) => setImmediate(resolve));
}
let loading = true;
const load = Array.from({ length: clients }, async () => {
  while (loading) {
    const outcome = await post();
    if (outcome === "ok") counts.ok++;
    else {
      counts.failed++;
      failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
    }
  }
});

// --- rolling restarts: one replica at a time, the next only once the restarted one is ready
const started = performance.now();
for (let n = 0; n < restarts; n++) {
  const slot = n % ports.length;
  const old = replicas[slot];
  const exited = new Promise((resolve) => old.once("exit", resolve));
  old.kill("SIGTERM");
  const code = await exited;
  if (code !== 0) console.error(`restart ${n + 1}: replica exited with ${code}`);
  replicas[slot] = await startReplica(ports[slot]);
  while (!(await ready(ports[slot]))) await new Promise((resolve) => setImmediate(resolve));
  process.stderr.write(`\r${proxy}: ${n + 1}/${restarts} restarts, ${counts.ok} answered, ${counts.failed} failed`);
}
loading = false;
await Promise.all(load);
agent.destroy();
process.stderr.write("\n");
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ proxy, restarts, clients, seconds: Math.round(seconds), requests: counts.ok + counts.failed, failed: counts.failed, failures: Object.fromEntries(failures) }));
proxyChild.kill("SIGTERM");
for (const child of replicas) child.kill("SIGTERM");
process.exitCode = counts.failed === 0 ? 0 : 1;
