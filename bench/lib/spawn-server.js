/**
 * @module Spawns a server under test as a child process (127.0.0.1 only), keeps the tail of
 * its stderr for diagnostics, and stops it (SIGTERM, then SIGKILL after a grace period).
 * Every child is also killed when the bench exits, however it exits.
 */
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../bin/webhook-serve.js", import.meta.url));
export const PEERS = {
  fastify: fileURLToPath(new URL("../peers/fastify-es-webhook.js", import.meta.url)),
  nodeHttp: fileURLToPath(new URL("../peers/node-http-es-webhook.js", import.meta.url)),
  express: fileURLToPath(new URL("../peers/express-dialogflow.js", import.meta.url)),
};

/** `taskset` is there and the machine has two cores or more: pin servers and load apart. */
export const PIN = availableParallelism() >= 2 && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
if (PIN) spawnSync("taskset", ["-cp", `1-${availableParallelism() - 1}`, String(process.pid)], { stdio: "ignore" });

const live = new Set();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Environment for children: no DEBUG (dialogflow-fulfillment would log), no inherited server settings. */
function childEnv() {
  const env = { ...process.env, NODE_ENV: "production" };
  for (const key of ["DEBUG", "PORT", "HOST", "LOG_LEVEL", "NODE_OPTIONS"]) delete env[key];
  return env;
}

/**
 * @param {string[]} args arguments after `node`
 * @param {{ cwd?: string }} [options]
 * @returns {{ pid: number, child: import("node:child_process").ChildProcess, alive(): boolean, stderr(): string, stop(): Promise<void> }}
 */
export function spawnNode(args, { cwd = REPO_ROOT } = {}) {
  // stdout goes to /dev/null: at info level that is where the access log lines are written.
  // Servers on core 0, the load generator (this process) on the others: they never share a core.
  const [command, argv] = PIN ? ["taskset", ["-c", "0", process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd, env: childEnv(), stdio: ["ignore", "ignore", "pipe"] });
  live.add(child);
  let exited = false;
  let tail = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  child.on("exit", () => {
    exited = true;
    live.delete(child);
  });
  return {
    pid: child.pid,
    child,
    alive: () => !exited,
    stderr: () => tail,
    async stop() {
      if (exited) return;
      const gone = once(child, "exit");
      child.kill("SIGTERM");
      const result = await Promise.race([gone.then(() => "exited"), sleep(3000).then(() => "timeout")]);
      if (result === "timeout") {
        child.kill("SIGKILL");
        await gone;
      }
    },
  };
}
