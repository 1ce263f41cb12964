/**
 * @module Instructions per request under callgrind: a count that does not move with the host's
 * load, unlike req/s and CPU time on a shared machine. The server runs under
 * `valgrind --tool=callgrind --instr-atstart=no`; after a warm-up (so V8 has compiled the hot
 * path), counting is switched on for N requests from a few keep-alive connections, then off,
 * and the dump's total is divided by N. Skipped where valgrind is not installed.
 * @see https://valgrind.org/docs/manual/cl-manual.html
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { Agent, request as httpRequest } from "node:http";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { REPO_ROOT } from "./spawn-server.js";

export const VALGRIND = spawnSync("valgrind", ["--version"]).status === 0 && spawnSync("callgrind_control", ["--version"]).status === 0;

/** One POST on a keep-alive agent; rejects unless `accept` takes the answer. */
function post(agent, port, path, body, headers, accept) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => (accept({ status: res.statusCode ?? 0, text }) ? resolve() : reject(new Error(`unexpected answer ${res.statusCode}: ${text.slice(0, 200)}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * @param {{ args: (port: number) => string[], path: string, body: string, headers: Record<string, string>, accept: (a: { status: number, text: string }) => boolean, warm: number, count: number }} spec
 * @returns {Promise<number>} instructions per request
 */
export async function measureInstructions({ args, path, body, headers, accept, warm, count }) {
  const dir = mkdtempSync(join(tmpdir(), "webhook-serve-callgrind-"));
  const port = await freePort();
  const child = spawn("valgrind", ["--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${join(dir, "out")}`, process.execPath, ...args(port)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NODE_ENV: "production", NODE_OPTIONS: "" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const many = async (n) => {
    await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let i = w; i < n; i += 4) await post(agent, port, path, body, headers, accept);
    }));
  };
  try {
    // Up when it first answers (valgrind starts Node slowly), at most 60 s.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await post(agent, port, path, body, headers, accept);
        break;
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no answer under callgrind: ${error instanceof Error ? error.message : error}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await many(warm);
    execFileSync("callgrind_control", ["-i", "on", String(child.pid)], { stdio: "ignore" });
    await many(count);
    execFileSync("callgrind_control", ["-i", "off", String(child.pid)], { stdio: "ignore" });
    execFileSync("callgrind_control", ["-d", String(child.pid)], { stdio: "ignore" });
    let total = 0;
    for (const file of readdirSync(dir)) {
      const match = /^totals: (\d+)/m.exec(readFileSync(join(dir, file), "utf8"));
      if (match) total += Number(match[1]);
    }
    return total / count;
  } finally {
    agent.destroy();
    child.kill("SIGKILL");
    if (child.exitCode === null) await once(child, "exit");
    rmSync(dir, { recursive: true, force: true });
  }
}
