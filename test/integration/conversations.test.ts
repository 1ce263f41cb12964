/**
 * Conversation tests through the CLI (in-process) and `runConversation`: one per platform
 * family passes with its state carried as that platform carries it, and a deliberately wrong
 * one fails with a diff and a JUnit report.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runConversation } from "../../src/testing/index.js";
import { runCliInProcess as runCli } from "../helpers/run-cli-in-process.js";
import { BIN } from "../helpers/spawn-server.js";

const DIR = "test/fixtures/conversations";

describe("webhook-serve test", () => {
  it("passes a conversation per platform family: v1/ES contexts, CX session, Lex attributes, Rasa slots, Clustaar session", async () => {
    const res = await runCli(["test", DIR]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    for (const name of ["dialogflow-es", "dialogflow-v1", "dialogflow-cx", "lex", "rasa", "clustaar"]) expect(res.stdout).toContain(`✓ ${DIR}/${name}.conversation.yaml`);
    expect(res.stdout).toContain("6 of 6 conversations passed (22 turns)");
    expect(res.stdout).toMatch(/✓ 2\. intent=order\.address → intent=order\.address \(200, [\d.]+ ms\)/);
  });

  it("fails a wrong conversation with a diff per expectation, exit 1, and writes JUnit XML", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "whs-junit-")), "report.xml");
    const res = await runCli(["test", "test/fixtures/conversations-wrong", "--reporter", "junit", "--output", out]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("✗ 2. intent=order.address → intent=order.address");
    expect(res.stdout).toContain('      text\n        - expected "A small pizza to 221B."\n        + actual   "A large pizza to 221B."');
    expect(res.stdout).toContain('      contexts\n        - expected ["order-followup","payment"]\n        + actual   ["order-followup"]');
    expect(res.stdout).toContain("0 of 1 conversations passed");
    const xml = readFileSync(out, "utf8");
    expect(xml).toMatch(/<testsuite name="test\/fixtures\/conversations-wrong\/order\.conversation\.yaml" tests="2" failures="1">/);
    expect(xml).toContain('<failure message="text, route, contexts">');
  });

  it("says clearly when there is nothing to run or the path is wrong", async () => {
    expect((await runCli(["test", "nope"])).stderr).toContain("nope: no such file or folder");
    expect((await runCli(["test", "src/core"])).stderr).toContain("no conversation tests (*.conversation.yaml) under src/core");
    expect((await runCli(["test", DIR, "--reporter", "junit"])).stderr).toContain("--reporter junit needs --output");
  });
});

describe("webhook-serve test --watch", () => {
  it("runs again when a handler changes, and reports the new failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-conv-watch-"));
    cpSync(DIR, dir, { recursive: true });
    const child = spawn(process.execPath, [BIN, "test", join(dir, "rasa.conversation.yaml"), "--watch"]);
    let out = "";
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => out.includes(text) && resolve();
        child.stdout.on("data", (chunk: Buffer) => ((out += chunk.toString()), check()));
        child.once("close", () => reject(new Error(`exited before "${text}":\n${out}`)));
        check();
      });
    try {
      await seen("watching 3 files");
      expect(out).toContain("1 of 1 conversations passed (2 turns)");
      const handler = join(dir, "handlers/state.mjs");
      writeFileSync(handler, readFileSync(handler, "utf8").replace("I remember", "I recall"));
      await seen("0 of 1 conversations passed");
      expect(out).toContain("handlers/state.mjs changed: running again");
      expect(out).toContain('+ actual   "I recall {\\"city\\":\\"Oslo\\"}."');
    } finally {
      const closed = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      await closed;
    }
  });
});

describe("runConversation", () => {
  it("returns per-turn results for an inline conversation, contexts counting down and cleared", async () => {
    const result = await runConversation(
      {
        config: "config.yaml",
        webhook: "/es",
        turns: [
          { intent: "order.pizza", params: { size: "large" }, expect: { contexts: ["order-followup"] } },
          { intent: "small.talk", expect: { contexts: ["order-followup"] } },
          { intent: "small.talk", expect: { contexts: [] } },
          { intent: "order.address", params: { address: "x" }, expect: { text: "What would you like to order?" } },
        ],
      },
      { dir: DIR },
    );
    expect(result.turns.map((t) => [t.ok, t.route, t.mismatches])).toEqual([
      [true, "intent=order.pizza", []],
      [true, "intent=small.talk", []],
      [true, "intent=small.talk", []],
      [true, "intent=order.address", []],
    ]);
    expect(result.ok).toBe(true);
  });
});
