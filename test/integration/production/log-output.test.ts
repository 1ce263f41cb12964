/**
 * stdout is written in 4 KB batches: a lone line still comes out within a moment, a burst loses
 * no line, and the lines written while shutting down are out before the process exits; a
 * process that exits without flushing (a handler's own `process.exit()`) still writes the batch.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { post, REPO, spawnServer } from "../../helpers/spawn-server.js";
import { FIXTURES, esRequest } from "./es-request.js";

const requestLines = (text: string) => text.split("\n").filter((l) => l.includes('"msg":"request"'));

describe("log output (level info, stdout a pipe)", () => {
  it("writes a lone access line soon, every line of a burst, and the shutdown lines before exiting", async () => {
    const server = await spawnServer([`${FIXTURES}/production.yaml`]);
    try {
      expect((await post(`${server.url}/es`, esRequest("pid"))).status).toBe(200);
      // Far below the 4 KB batch: the periodic flush writes it.
      await server.waitForOutput('"msg":"request"', 2000);
      await Promise.all(Array.from({ length: 200 }, () => post(`${server.url}/es`, esRequest("pid"))));
      const code = await server.stop();
      expect(code).toBe(0);
      const text = server.output();
      expect(requestLines(text)).toHaveLength(201);
      expect(text.indexOf('"msg":"stopped"')).toBeGreaterThan(text.indexOf("shutting down"));
      expect(text.lastIndexOf('"msg":"request"')).toBeLessThan(text.indexOf("shutting down"));
    } finally {
      await server.stop();
    }
  });
});

describe("--pretty output", () => {
  it("escapes a newline in a handler's message: the request cannot forge a log line", async () => {
    const server = await spawnServer([`${FIXTURES}/log-note.yaml`, "--pretty"], { env: { NO_COLOR: "1" } });
    try {
      const forged = "[12:00:00.000] ERROR (1): forged line";
      expect((await post(`${server.url}/es`, esRequest("note", { note: `first\n${forged}\r\u001b[2Kgone` }))).status).toBe(200);
      await server.waitForOutput("forged line", 2000);
      const lines = server.output().split("\n");
      expect(lines.some((line) => line.startsWith(forged))).toBe(false);
      expect(lines.find((line) => line.includes("forged line"))).toContain(`INFO (${server.child.pid}): first\\n${forged}\\r\\u001b[2Kgone`);
    } finally {
      await server.stop();
    }
  });
});

describe("the server logger's batch", () => {
  it("is written when the process exits without a flush", () => {
    // The built logger, in a process of its own that calls process.exit() right after logging.
    // Its one thread-pool thread is kept busy, so a write left to the thread pool would still
    // be queued at the exit (and lost).
    const script = [
      'import { pbkdf2 } from "node:crypto";',
      'import { createLogger } from "./dist/logging/logger.js";',
      'pbkdf2("p", "s", 2_000_000, 32, "sha256", () => {});',
      'const logger = createLogger({ level: "info", pretty: false });',
      'for (let i = 0; i < 300; i++) logger.info({ i }, "line");',
      "process.exit(0);",
    ].join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, UV_THREADPOOL_SIZE: "1" },
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { i: number });
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});
