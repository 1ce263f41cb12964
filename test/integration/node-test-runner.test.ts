/**
 * The README's node:test recipe, run for real: a project with the package linked in, a
 * TypeScript handler, and a test file using `webhook-serve/testing` under `node --test`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/spawn-server.js";

describe("node:test recipe", () => {
  it("passes with a TypeScript handler", { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-node-test-"));
    mkdirSync(join(dir, "node_modules"));
    mkdirSync(join(dir, "handlers"));
    symlinkSync(REPO, join(dir, "node_modules/webhook-serve"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(dir, "config.yaml"), "webhooks:\n  - path: /es\n    platform: dialogflow\n    routes:\n      - { intent: hello, handler: ./handlers/hello.ts }\n");
    writeFileSync(join(dir, "handlers/hello.ts"), 'import type { Handler } from "webhook-serve";\nconst hello: Handler<{ name?: string }> = (turn) => `Hello, ${turn.params.name ?? "there"}!`;\nexport default hello;\n');
    writeFileSync(
      join(dir, "hello.test.mjs"),
      `import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createTestServer } from "webhook-serve/testing";

const server = await createTestServer(new URL("./config.yaml", import.meta.url).pathname);
after(() => server.close());

test("greets by name", async () => {
  const res = await server.send({ path: "/es", intent: "hello", params: { name: "Ada" } });
  assert.equal(res.status, 200);
  assert.equal(res.body.fulfillmentText, "Hello, Ada!");
});
`,
    );
    const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", "hello.test.mjs"], { cwd: dir, encoding: "utf8", timeout: 50_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/# pass 1/);
  });
});
