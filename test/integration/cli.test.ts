/** What needs the built binary as a process: its version and help, serving, a terminal (command behaviour: test/unit/cli). */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { BIN, REPO, runCli } from "../helpers/spawn-server.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("webhook-serve CLI", () => {
  it("prints its version and help", async () => {
    expect((await runCli(["--version"])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const word of ["validate", "routes", "send", "--port", "--watch", "--log-level"]) expect(help.stdout).toContain(word);
  });

  it("--env-file: a byte-order mark is dropped, a value cut at an unquoted # is warned about", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-envfile-"));
    writeFileSync(join(dir, "config.yaml"), 'webhooks:\n  - path: /x\n    platform: generic\n    auth: { apiKey: { value: "${API_KEY}" } }\n    routes:\n      - { event: a, reply: { text: "${GREETING}" } }\n');
    // As Notepad saves it: a BOM before the first variable, which the config needs.
    writeFileSync(join(dir, ".env"), "\uFEFFAPI_KEY=from-file\nGREETING=hi#there\n");
    const res = await runCli(["routes", join(dir, "config.yaml"), "--env-file", join(dir, ".env")]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\/x\s+generic\s+event=a\s+reply "hi"/);
    expect(res.stderr).toContain(`--env-file: ${join(dir, ".env")}:2: the value of GREETING ends at an unquoted "#"`);
    expect(res.stderr).not.toContain("there");
  });

  it("serving a bad config exits 1 before listening", async () => {
    const res = await runCli(["test/fixtures/cli/bad.yaml", "--port", "0"]);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).not.toContain("listening");
    expect(res.stderr).toContain("unknown key");
  });

  it.each([
    ["", true],
    ["NO_COLOR=1 ", false],
    ["FORCE_COLOR=0 ", false],
  ])("%swrites human-readable logs when stdout is a terminal, coloured: %s (run under script(1))", async (env, coloured) => {
    // script(1) (util-linux, in every Debian) gives the server a pseudo-terminal as stdout.
    const command = `${env}"${process.execPath}" "${BIN}" config.example.yaml --port 0`;
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: REPO, detached: true, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "" } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      await vi.waitFor(() => expect(out).toContain("listening on"), { timeout: 15_000, interval: 50 });
      // pino-pretty's green level: colour is on for a TTY unless NO_COLOR / FORCE_COLOR=0 (no-color.org)
      expect(out.includes("\u001b[32mINFO\u001b[39m")).toBe(coloured);
      expect(out).toMatch(/INFO/);
      expect(out).not.toContain('{"level":');
      // One listening line (Fastify's own "Server listening at" is not printed).
      expect(out.match(/listening/gi)).toHaveLength(1);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  });

  it("stops at once on SIGTERM in a terminal: drainDelay auto is 0 there (run under script(1))", async () => {
    const command = `NO_COLOR=1 "${process.execPath}" "${BIN}" config.example.yaml --port 0`;
    const { FORCE_COLOR: _, ...env } = process.env;
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: REPO, detached: true, env });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await vi.waitFor(() => expect(out).toContain("listening on"), { timeout: 15_000, interval: 50 });
      // pino-pretty writes the server's pid beside each line's level: signal the server, not script(1).
      const pid = Number(/INFO \((\d+)\)/.exec(out)?.[1]);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, "SIGTERM");
      await exited;
      expect(out).toContain("shutting down: finishing in-flight requests");
      expect(out).not.toContain("still accepting requests");
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      await exited;
    }
  });
});
