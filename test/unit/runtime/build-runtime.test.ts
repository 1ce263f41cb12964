/**
 * What only compiling finds is reported by the runtime build, each problem at its path and
 * line:column, all of them at once: filters the router cannot compile, dedupe keys that do
 * not parse. The config loader no longer compiles them first (nothing is compiled twice).
 */
import { describe, expect, it } from "vitest";
import { loadConfigFromString } from "../../../src/config/load-config.js";
import { formatIssue } from "../../../src/errors.js";
import { loadRuntime } from "../../../src/runtime/rebuild-runtime.js";

async function build(text: string): Promise<string[]> {
  const loaded = loadConfigFromString(text, { file: "/tmp/c.yaml" });
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  const built = await loadRuntime(loaded.config);
  return built.ok ? [] : built.issues.map(formatIssue);
}

const webhook = (body: string) => `webhooks:\n  - path: /a\n    platform: generic\n${body}`;

describe("the runtime build's problems", () => {
  it.each([
    ["a regex that does not compile", "    routes:\n      - when: [{ not: { key: a, matches: '(' } }]\n        reply: {}\n", ['webhooks[0].routes[0].when[0].not.matches: invalid regular expression "(": Invalid regular expression: /(/: Unterminated group (line 5:42)']],
    ["a filter key with an empty segment", "    routes:\n      - when: [{ any: [{ key: data..id, exists: true }] }]\n        reply: {}\n", ['webhooks[0].routes[0].when[0].any[0].key: empty segment in path "data..id" (line 5:31)']],
    ["a dedupe key with an empty segment", "    dedupe: { key: session. }\n", ['webhooks[0].dedupe.key: empty segment in path "session." (line 4:20)']],
    ["a dedupe key naming no header", "    dedupe: { key: 'header: ' }\n", ["webhooks[0].dedupe.key: header name is empty (line 4:20)"]],
  ])("reports %s", async (_name, body, expected) => {
    expect(await build(webhook(body))).toEqual(expected);
  });

  it("reports every problem, not the first, in file order", async () => {
    const found = await build(
      webhook("    dedupe: { key: a..b }\n    routes:\n      - when: [{ key: x, matches: '(' }, { key: 'y.', exists: true }]\n        reply: {}\n      - intent: i\n        when: [{ key: z, matches: '[' }]\n        reply: {}\n"),
    );
    expect(found.map((line) => line.slice(0, line.indexOf(":")))).toEqual([
      "webhooks[0].dedupe.key",
      "webhooks[0].routes[0].when[0].matches",
      "webhooks[0].routes[0].when[1].key",
      "webhooks[0].routes[1].when[0].matches",
    ]);
  });

  it("accepts a case-insensitive (?i) pattern and a header dedupe key", async () => {
    expect(await build(webhook("    dedupe: { key: 'header:webhook-id' }\n    routes:\n      - when: [{ key: queryText, matches: '(?i)^hello' }]\n        reply: {}\n"))).toEqual([]);
  });
});
