/**
 * Spawns the built CLI (`bin/webhook-serve.js`) on a free loopback port and waits for its
 * `listening on http://…` line. Used by every integration test. It runs with `--drain-delay 0`
 * (no load balancer watches a test's server) unless `drainDelay` says otherwise.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/webhook-serve.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningServer {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far (stdout + stderr). */
  output(): string;
  /** Resolves once the output matches (log lines are written asynchronously). */
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then resolve with the exit code once its output is read to the end ("close", not "exit"). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnServer(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; /** `--drain-delay`; `"config"`: the config's own (or its default). */ drainDelay?: string } = {},
): Promise<RunningServer> {
  const drainDelay = options.drainDelay ?? "0";
  const child = spawn(process.execPath, [BIN, ...args, "--port", "0", ...(drainDelay === "config" ? [] : ["--drain-delay", drainDelay])], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, NODE_ENV: "test", ...options.env },
  });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${text}`)), options.timeoutMs ?? 15_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${text}`));
    });
  });
  return {
    url,
    child,
    output: () => text,
    // Resolves on the output chunk that matches: no polling.
    waitForOutput: (pattern, timeoutMs = 5000) =>
      new Promise<string>((resolve, reject) => {
        const test = (t: string) => (typeof pattern === "string" ? t.includes(pattern) : pattern.test(t));
        if (test(text)) return resolve(text);
        const done = (error?: Error) => {
          clearTimeout(timer);
          child.stdout.off("data", check);
          child.stderr.off("data", check);
          if (error) reject(error);
          else resolve(text);
        };
        const check = () => void (test(text) && done());
        const timer = setTimeout(() => done(new Error(`output never matched ${String(pattern)}:\n${text}`)), timeoutMs);
        // After the listeners that append to `text` (registered first), so the chunk is in it.
        child.stdout.on("data", check);
        child.stderr.on("data", check);
      }),
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion (validate, routes, send). */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** POST JSON (or raw text) to the server. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}
