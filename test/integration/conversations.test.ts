/**
 * Conversation tests through the CLI (in-process) and `runConversation`: one per platform
 * family passes with its state carried as that platform carries it, and a deliberately wrong
 * one fails with a diff and a JUnit report.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runConversation } from "../../src/testing/index.js";
import { runCliInProcess as runCli } from "../helpers/run-cli-in-process.js";

const DIR = "test/fixtures/conversations";

describe("webhook-serve test", () => {
  it("passes a conversation per platform family: v1/ES contexts, CX session, Lex attributes, Rasa slots, Clustaar session", async () => {
    const res = await runCli(["test", DIR]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    for (const name of ["dialogflow-es", "dialogflow-v1", "dialogflow-cx", "lex", "rasa", "clustaar"]) expect(res.stdout).toContain(`✓ ${DIR}/${name}.conversation.yaml`);
    expect(res.stdout).toContain("6 of 6 conversations passed (19 turns)");
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
