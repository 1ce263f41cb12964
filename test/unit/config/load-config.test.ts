import { positionOf } from "../../../src/config/source-position.js";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../../src/errors.js";
import { loadConfig, loadConfigFromString, normalizeConfigObject, type LoadResult } from "../../../src/config/load-config.js";
import type { Config } from "../../../src/config/types.js";

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "whs-config-"));
  file = join(dir, "config.yaml");
  await mkdir(join(dir, "handlers"));
  for (const name of ["weather.ts", "steps.mjs", "balance.js", "slow.mts"]) {
    await writeFile(join(dir, "handlers", name), "export default () => null;\n");
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(result: LoadResult): Config {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.config;
}

function problems(result: LoadResult): string[] {
  if (result.ok) throw new Error("expected issues, the config loaded");
  return result.issues.map(formatIssue);
}

const load = (text: string, env: Record<string, string> = {}) => loadConfigFromString(text, { file, env });

/** The smallest valid config around one webhook body (indented for `webhooks:`). */
const webhook = (body: string) => `webhooks:\n  - path: /hook\n    platform: generic\n${body}`;

const FULL = `# every field the loader understands
server:
  host: 0.0.0.0
  port: 9000
  bodyLimit: 16kb
  timeout: 4s
  logLevel: debug
  metrics: false
  shutdownTimeout: 2s
  requestTimeout: 1m
  trustProxy: 1
  dedupe:
    ttl: 1h
    store: redis://cache:6379/0
    maxEntries: 50
webhooks:
  - path: /dialogflow
    platform: dialogflow-es
    auth:
      apiKey: { header: X-Api-Key, value: "\${API_KEY}" }
      basic: { username: bot, password: "\${BASIC_PASS}" }
      signature: { secret: "\${SIGNING_SECRET}", header: X-Hub-Signature, algorithm: sha256, encoding: hex, prefix: "sha256=" }
    routes:
      - intent: greetings
        reply:
          text: "Hi {{ params.name }}!"
          contexts: [{ name: greeted, lifespan: 2, params: { a: 1 } }]
          followupEvent: { name: next, params: { x: 1 }, lang: en }
          session: { values: { plan: pro } }
          native: { payload: { google: {} } }
      - action: weather.lookup
        handler: ./handlers/weather.ts
        timeout: 500ms
        concurrency: 4
        fallback: { reply: { text: "One moment." } }
      - event: conversation.step_reached
        when:
          - { key: data.step.id, equals: "507f" }
          - { key: data.session.values.plan, in: [pro, team] }
          - { key: data.user.id, exists: true }
          - any:
              - { key: data.input.text, matches: "^(hi|hello)" }
              - not: { key: data.blocked, equals: "yes" }
        handler: ./handlers/steps.mjs#onStep
      - tag: check-balance
        handler: handlers/balance.js
    fallback:
      handler: ./handlers/slow.mts#fallback
    timeout: 3s
    dedupe: { key: responseId }
  - path: /v1
    platform: dialogflow-v1
    auth:
      signature: { scheme: standard-webhooks, secrets: [whsec_aGVsbG8=, whsec_d29ybGQ=], tolerance: 1m }
    dedupe: false
  - path: /cx
    platform: dialogflow-cx
    routes:
      - tag: pages
        reply:
          text: [one, two]
          targetPage: projects/p/locations/l/agents/a/flows/f/pages/p
          targetFlow: projects/p/locations/l/agents/a/flows/f
          mergeBehavior: REPLACE
          dialogAction: { type: ElicitSlot, slotToElicit: city }
          messages: [{ text: hi }]
          actions: [{ type: send_text_action }]
          data: { x: 1 }
          displayText: shown
`;

const ENV = { API_KEY: "k-123", BASIC_PASS: "p-456", SIGNING_SECRET: "s-789" };

describe("loadConfigFromString: a valid file", () => {
  it("normalizes every section", () => {
    const c = config(load(FULL, ENV));
    expect(c.file).toBe(file);
    expect(c.dir).toBe(dir);
    expect(c.server).toEqual({
      host: "0.0.0.0",
      port: 9000,
      bodyLimit: 16_384,
      maxDepth: 64,
      timeout: 4000,
      logLevel: "debug",
      metrics: false,
      drainDelay: "auto",
      shutdownTimeout: 2000,
      requestTimeout: 60_000,
      workerStallTimeout: 30_000,
      trustProxy: 1,
      redisPrefix: "whs:",
      leaseTtl: 3000,
      dedupe: { ttl: 3_600_000, store: "redis://cache:6379/0", maxEntries: 50 },
    });

    const [df, v1, cx] = c.webhooks;
    expect(df?.path).toBe("/dialogflow");
    expect(df?.platform).toBe("dialogflow");
    expect(df?.timeout).toBe(3000);
    expect(df?.dedupe).toEqual({ key: "responseId" });
    expect(df?.auth).toEqual({
      apiKey: { header: "x-api-key", value: "k-123" },
      basic: { username: "bot", password: "p-456" },
      signature: { scheme: "hmac", secrets: ["s-789"], header: "x-hub-signature", algorithm: "sha256", encoding: "hex", prefix: "sha256=" },
    });
    // Located when asked (source-position.ts): line and col are read through the position.
    expect(df && positionOf(df.at)).toEqual({ path: "webhooks[0]", line: 17, col: 5 });

    const routes = df?.routes ?? [];
    expect(routes).toHaveLength(4);
    expect(routes[0]).toMatchObject({ intent: "greetings", at: { path: "webhooks[0].routes[0]", line: 24, col: 9 } });
    expect(routes[0]?.target).toMatchObject({ kind: "reply", at: { path: "webhooks[0].routes[0].reply", line: 26, col: 11 } });
    expect(routes[0]?.target.kind === "reply" && routes[0].target.reply).toEqual({
      text: "Hi {{ params.name }}!",
      contexts: [{ name: "greeted", lifespan: 2, params: { a: 1 } }],
      followupEvent: { name: "next", params: { x: 1 }, lang: "en" },
      session: { values: { plan: "pro" } },
      native: { payload: { google: {} } },
    });

    expect(routes[1]).toMatchObject({ action: "weather.lookup", timeout: 500, concurrency: 4 });
    // toMatchObject: positions are read through their getters (source-position.ts).
    expect(Object.keys(routes[1]?.target ?? {})).toEqual(["kind", "handler", "at"]);
    expect(routes[1]?.target).toMatchObject({
      kind: "handler",
      handler: {
        file: join(dir, "handlers", "weather.ts"),
        exportName: "default",
        spec: "./handlers/weather.ts",
        at: { path: "webhooks[0].routes[1].handler", line: 32, col: 18 },
      },
      at: { path: "webhooks[0].routes[1].handler", line: 32, col: 18 },
    });
    expect(routes[1]?.fallback).toMatchObject({ kind: "reply", reply: { text: "One moment." } });

    expect(routes[2]?.event).toBe("conversation.step_reached");
    expect(routes[2]?.when).toEqual([
      { key: "data.step.id", equals: "507f" },
      { key: "data.session.values.plan", in: ["pro", "team"] },
      { key: "data.user.id", exists: true },
      { any: [{ key: "data.input.text", matches: "^(hi|hello)" }, { not: { key: "data.blocked", equals: "yes" } }] },
    ]);
    expect(routes[2]?.target).toMatchObject({ kind: "handler", handler: { file: join(dir, "handlers", "steps.mjs"), exportName: "onStep" } });
    expect(routes[3]).toMatchObject({ tag: "check-balance", target: { handler: { file: join(dir, "handlers", "balance.js") } } });
    expect(df?.fallback).toMatchObject({ kind: "handler", handler: { file: join(dir, "handlers", "slow.mts"), exportName: "fallback" } });

    expect(v1?.platform).toBe("apiai");
    expect(v1?.routes).toEqual([]);
    expect(v1?.dedupe).toBe(false);
    expect(v1?.auth?.signature).toEqual({ scheme: "standard-webhooks", secrets: ["whsec_aGVsbG8=", "whsec_d29ybGQ="], tolerance: 60_000 });

    expect(cx?.routes[0]?.target).toMatchObject({
      kind: "reply",
      reply: { text: ["one", "two"], mergeBehavior: "REPLACE", dialogAction: { type: "ElicitSlot", slotToElicit: "city" } },
    });

    // The basic-auth header's base64("user:pass") is a secret too, unpadded (the server accepts
    // it so, and the scrubber matches substrings, so it covers the padded form).
    const basicToken = Buffer.from(`${c.webhooks[0]?.auth?.basic?.username}:p-456`).toString("base64").replace(/=+$/, "");
    expect([...c.secrets].sort()).toEqual([basicToken, "k-123", "p-456", "s-789", "whsec_aGVsbG8=", "whsec_d29ybGQ="].sort());
  });

  it("fills the defaults", () => {
    const c = config(load(webhook("    auth:\n      apiKey: { value: k }\n      signature: { secret: s }\n")));
    expect(c.server).toEqual({
      host: "127.0.0.1",
      port: 8080,
      bodyLimit: 1_048_576,
      maxDepth: 64,
      logLevel: "info",
      metrics: true,
      drainDelay: "auto",
      shutdownTimeout: 10_000,
      requestTimeout: 30_000,
      workerStallTimeout: 30_000,
      trustProxy: false,
      redisPrefix: "whs:",
      leaseTtl: 3000,
    });
    expect(c.webhooks[0]?.auth).toEqual({ apiKey: { header: "api-key", value: "k" }, signature: { scheme: "hmac", secrets: ["s"] } });
    expect(c.webhooks[0]?.dedupe).toBeUndefined();
    const withDedupe = config(load(`server:\n  dedupe: {}\n${webhook("")}`));
    expect(withDedupe.server.dedupe).toEqual({ ttl: 600_000, store: "memory", maxEntries: 10_000 });
  });

  it("reads numbers given as strings (from YAML quotes or ${ENV})", () => {
    const c = config(load(`server:\n  port: "\${PORT}"\n  metrics: "false"\n${webhook("")}`, { PORT: "3000" }));
    expect(c.server.port).toBe(3000);
    expect(c.server.metrics).toBe(false);
  });

  it("follows YAML anchors and merge keys", () => {
    const text = `webhooks:
  - &base
    path: /a
    platform: generic
    fallback: { reply: { text: a } }
  - <<: *base
    path: /b
`;
    const c = config(load(text));
    expect(c.webhooks.map((w) => w.path)).toEqual(["/a", "/b"]);
    expect(c.webhooks[1]?.fallback).toMatchObject({ kind: "reply", reply: { text: "a" } });
  });

  it("deep-freezes the result", () => {
    const result = load(FULL, ENV);
    const c = config(result);
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(c.server)).toBe(true);
    expect(Object.isFrozen(c.webhooks[0]?.routes[0]?.when ?? c.webhooks[0]?.routes[2]?.when)).toBe(true);
    const reply = c.webhooks[0]?.routes[0]?.target;
    expect(reply?.kind === "reply" && Object.isFrozen(reply.reply.contexts)).toBe(true);
    expect(() => {
      (c.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe("loadConfigFromString: problems", () => {
  it("points an unknown key typo at the key itself", () => {
    const text = webhook(`    routes:
      - intent: a
        reply: { text: a }
      - intnet: greetings
        reply: { text: hi }
`);
    expect(problems(load(text))).toEqual(['webhooks[0].routes[1]: unknown key "intnet"; did you mean "intent"? (line 7:9)']);
  });

  it("checks each rich message of a static reply: a typo in a kind or its keys is an unknown key", () => {
    const text = webhook(`    routes:
      - intent: a
        reply:
          messages:
            - crad: { title: Hi }
            - card: { titel: Hi }
            - { quickReplies: { replies: [yes, no] } }
            - { ssml: "<speak>hi</speak>", allowPlaybackInterruption: true }
`);
    const found = problems(load(text));
    expect(found).toContain('webhooks[0].routes[0].reply.messages[0]: unknown key "crad"; did you mean "card"? (line 8:15)');
    expect(found).toContain('webhooks[0].routes[0].reply.messages[1].card: unknown key "titel"; did you mean "title"? (line 9:23)');
    expect(found.some((p) => p.includes("messages[2]") || p.includes("messages[3]"))).toBe(false);
  });

  it("reports a missing environment variable without its value, and nothing else for that value", () => {
    const text = webhook('    auth:\n      apiKey: { value: "${API_KEY}" }\n');
    expect(problems(load(text))).toEqual(["webhooks[0].auth.apiKey.value: environment variable API_KEY is not set (line 5:24)"]);
  });

  it("uses ${NAME:-default}", () => {
    const c = config(load(webhook('    auth:\n      apiKey: { value: "${API_KEY:-dev-key}" }\n')));
    expect(c.webhooks[0]?.auth?.apiKey?.value).toBe("dev-key");
    expect(c.secrets).toEqual(["dev-key"]);
  });

  it("reports a YAML syntax error with its position", () => {
    const result = load("webhooks:\n  - path: /a\n    platform: [generic\n");
    const [first] = problems(result);
    expect(first).toMatch(/^\(file\): YAML: .+ \(line \d+:\d+\)$/);
    expect(result.ok === false && result.issues[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("reports duplicate keys as YAML errors", () => {
    expect(problems(load("webhooks: []\nwebhooks: []\n"))).toEqual(["(file): YAML: Map keys must be unique (line 2:1)"]);
  });

  it("reports an empty file", () => {
    expect(problems(load("# nothing\n"))).toEqual(["(file): the configuration is empty (it needs at least webhooks:)"]);
  });

  it.each([
    ["a missing webhooks list", "server: {}\n", ['(file): missing required key "webhooks" (line 1:1)']],
    ["an empty webhooks list", "webhooks: []\n", ["webhooks: must have at least 1 item (line 1:11)"]],
    ["a wrong type", "server: { port: high }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.port: must be a whole number (line 1:17)"]],
    ["a port out of range", "server: { port: 70000 }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.port: must be <= 65535 (line 1:17)"]],
    ["a bad size", "server: { bodyLimit: 1m }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.bodyLimit: must be a size like 512b, 16kb, 1mb or a number of bytes (line 1:22)"]],
    ["a bad duration", "server: { timeout: 4x }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.timeout: must be a duration like 500ms, 4s, 10m, 1h or a number of milliseconds (line 1:20)"]],
    ["a bad drain delay", "server: { drainDelay: later }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.drainDelay: must be auto or a duration like 500ms, 4s or a number of milliseconds (line 1:23)"]],
    ["a bad log level", "server: { logLevel: loud }\nwebhooks: [{ path: /a, platform: generic }]\n", ["server.logLevel: \"loud\" is not allowed; must be one of: fatal, error, warn, info, debug, trace, silent (line 1:21)"]],
    ["a bad dedupe store", "server: { dedupe: { store: mongo://x } }\nwebhooks: [{ path: /a, platform: generic }]\n", ['server.dedupe.store: must be "memory" or a redis:// or rediss:// URL (line 1:28)']],
    ["a path without /", "webhooks: [{ path: hook, platform: generic }]\n", ["webhooks[0].path: must start with / (line 1:20)"]],
    ["a missing platform", "webhooks: [{ path: /a }]\n", ['webhooks[0]: missing required key "platform" (line 1:12)']],
    [
      "an unknown platform",
      "webhooks: [{ path: /a, platform: dialogfow }]\n",
      ["webhooks[0].platform: \"dialogfow\" is not a platform; must be one of: apiai, dialogflow-v1, dialogflow, dialogflow-es, dialogflow-cx, hutoma, clustaar, aiflow, sipgate-ai-flow, rasa, lex, lex-v2, generic, auto; did you mean \"dialogflow\"? (line 1:34)"],
    ],
    ["webhook dedupe: true", "webhooks: [{ path: /a, platform: generic, dedupe: true }]\n", ["webhooks[0].dedupe: must be { key: ... } or false (line 1:51)"]],
  ])("reports %s", (_name, text, expected) => {
    expect(problems(load(text))).toEqual(expected);
  });

  it.each([
    ["neither reply nor handler", "      - intent: a\n", ["webhooks[0].routes[0]: a route needs exactly one of reply or handler (line 5:9)"]],
    [
      "both reply and handler",
      "      - intent: a\n        reply: { text: a }\n        handler: ./handlers/weather.ts\n",
      ["webhooks[0].routes[0]: a route needs exactly one of reply or handler (line 5:9)"],
    ],
    ["two match keys", "      - intent: a\n        action: b\n        reply: { text: a }\n", ["webhooks[0].routes[0]: at most one of intent, action, event, tag (line 5:9)"]],
    ["a route that is not an object", "      - greetings\n", ["webhooks[0].routes[0]: must be an object (line 5:9)"]],
    ["concurrency 0", "      - intent: a\n        concurrency: 0\n        reply: {}\n", ["webhooks[0].routes[0].concurrency: must be >= 1 (line 6:22)"]],
    ["a bad handler spec", "      - intent: a\n        handler: ./handlers/weather.py\n", ["webhooks[0].routes[0].handler: must be a module path ending in .ts, .mts, .js or .mjs, with an optional #export (./handlers/x.ts#name) (line 6:18)"]],
    ["an empty intent", "      - intent: ''\n        reply: {}\n", ["webhooks[0].routes[0].intent: must not be empty (line 5:17)"]],
    ["a filter with two tests", "      - when: [{ key: a, equals: 1, in: [1] }]\n        reply: {}\n", ["webhooks[0].routes[0].when[0]: a filter needs key with exactly one of equals, in, exists, matches; or any; or not (line 5:16)"]],
    ["a filter without a test", "      - when: [{ any: [{ key: a }] }]\n        reply: {}\n", ["webhooks[0].routes[0].when[0].any[0]: a filter needs key with exactly one of equals, in, exists, matches; or any; or not (line 5:24)"]],
    ["a filter with a bad exists", "      - when: [{ key: a, exists: maybe }]\n        reply: {}\n", ["webhooks[0].routes[0].when[0].exists: must be true or false (line 5:34)"]],
    ["a bad reply field", "      - intent: a\n        reply: { txt: hi, dialogAction: { type: Open } }\n", [
      'webhooks[0].routes[0].reply: unknown key "txt"; did you mean "text"? (line 6:18)',
      "webhooks[0].routes[0].reply.dialogAction.type: \"Open\" is not allowed; must be one of: Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot (line 6:49)",
    ]],
    ["a missing handler file", "      - intent: a\n        handler: ./handlers/nope.ts#run\n", [`webhooks[0].routes[0].handler: handler file ./handlers/nope.ts not found (looked for ${join("HANDLERS", "nope.ts")}) (line 6:18)`]],
  ])("reports a route with %s", (_name, routes, expected) => {
    const found = problems(load(webhook(`    routes:\n${routes}`))).map((line) => line.replace(join(dir, "handlers"), "HANDLERS"));
    expect(found).toEqual(expected);
  });

  it.each([
    ["a signature without a secret", "    auth:\n      signature: { algorithm: sha256 }\n", ["webhooks[0].auth.signature: scheme hmac needs secret or secrets (line 5:18)"]],
    ["a bad algorithm", "    auth:\n      signature: { secret: s, algorithm: md5 }\n", ["webhooks[0].auth.signature.algorithm: \"md5\" is not allowed; must be one of: sha1, sha256, sha512 (line 5:42)"]],
    ["basic auth without password", "    auth:\n      basic: { username: u }\n", ['webhooks[0].auth.basic: missing required key "password" (line 5:14)']],
    ["a fallback with both", "    fallback: { reply: {}, handler: ./handlers/weather.ts }\n", ["webhooks[0].fallback: a fallback needs exactly one of reply or handler (line 4:15)"]],
  ])("reports %s", (_name, body, expected) => {
    expect(problems(load(webhook(body)))).toEqual(expected);
  });

  it("accepts a case-insensitive (?i) pattern, as the router does", () => {
    const result = load(webhook("    routes:\n      - when: [{ key: queryText, matches: '(?i)^hello' }]\n        reply: {}\n"));
    expect(result.ok).toBe(true);
  });

  it.each([
    ["10.0.0.0/8, 192.168.1.1, loopback, ::1, fd00::/8, 10.0.0.0/255.0.0.0", []],
    ["10.0.0.1, not-an-ip", ['server.trustProxy: "not-an-ip" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal (line 2:15)']],
    ["10.0.0.0/33", ['server.trustProxy: "10.0.0.0/33" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal (line 2:15)']],
  ])("checks a trustProxy address list: %s", (list, expected) => {
    const result = load(`server:\n  trustProxy: "${list}"\nwebhooks: [{ path: /a, platform: generic }]\n`);
    expect(result.ok ? [] : problems(result)).toEqual(expected);
  });

  it("refuses a global concurrency limit without a Redis to count in, with its line", () => {
    const text = "webhooks:\n  - path: /a\n    platform: generic\n    routes:\n      - { event: x, reply: { text: hi }, concurrency: { limit: 2, scope: global } }\n";
    expect(problems(load(text))).toEqual(["webhooks[0].routes[0].concurrency.scope: scope: global needs a Redis to count in: set server.dedupe.store to a redis:// URL (line 5:74)"]);
    const ok = load(`server: { dedupe: { store: "redis://127.0.0.1:6379" } }\n${text}`);
    expect(ok.ok && ok.config.webhooks[0]?.routes[0]).toMatchObject({ concurrency: 2, concurrencyScope: "global" });
  });

  it("reads redisPrefix, leaseTtl and concurrency.key, and refuses bad ones with their lines", () => {
    const route = "webhooks:\n  - path: /a\n    platform: generic\n    routes:\n      - { event: x, reply: { text: hi }, concurrency: { limit: 2, scope: global, key: KEY } }\n";
    const ok = load(`server: { redisPrefix: "shop:", leaseTtl: 2s, dedupe: { store: "redis://127.0.0.1:6379" } }\n${route.replace("KEY", "bookings")}`);
    expect(ok.ok && ok.config.server).toMatchObject({ redisPrefix: "shop:", leaseTtl: 2000 });
    expect(ok.ok && ok.config.webhooks[0]?.routes[0]).toMatchObject({ concurrencyKey: "bookings" });
    const defaults = load(`server: { dedupe: { store: "redis://127.0.0.1:6379" } }\n${route.replace("KEY", "b")}`);
    expect(defaults.ok && defaults.config.server).toMatchObject({ redisPrefix: "whs:", leaseTtl: 3000 });
    const bad = load(`server: { redisPrefix: "a b", leaseTtl: 100ms, dedupe: { store: "redis://127.0.0.1:6379" } }\n${route.replace("KEY", '"has space"')}`);
    expect(problems(bad)).toEqual([
      "server.redisPrefix: must be 1 to 64 letters, digits or _ . : - (line 1:24)",
      "webhooks[0].routes[0].concurrency.key: must be 1 to 128 letters, digits or _ . : / = - (line 6:87)",
    ]);
    const short = load(`server: { leaseTtl: 100ms, dedupe: { store: "redis://127.0.0.1:6379" } }\n${route.replace("KEY", "b")}`);
    expect(problems(short)).toEqual(["server.leaseTtl: must be at least 300ms (line 1:21)"]);
  });

  it("reports duplicate webhook paths", () => {
    const text = "webhooks:\n  - { path: /a, platform: generic }\n  - { path: /a, platform: rasa }\n";
    expect(problems(load(text))).toEqual(['webhooks[1].path: duplicate path "/a" (also used by webhooks[0]) (line 3:13)']);
  });

  it("reads transport: http by default, websocket when set on a platform with a socket framing", () => {
    const text = "webhooks:\n  - { path: /a, platform: aiflow }\n  - { path: /calls, platform: sipgate-ai-flow, transport: websocket, auth: { apiKey: { header: x-api-token, value: k } } }\n";
    expect(config(load(text)).webhooks.map((w) => [w.path, w.platform, w.transport])).toEqual([
      ["/a", "aiflow", "http"],
      ["/calls", "aiflow", "websocket"],
    ]);
  });

  it("refuses transport: websocket where frames cannot be carried: no socket framing, auto, a body signature, an unknown transport", () => {
    const text = `webhooks:
  - path: /a
    platform: generic
    transport: websocket
  - path: /b
    platform: auto
    transport: websocket
  - path: /c
    platform: aiflow
    transport: websocket
    auth:
      signature: { secret: s }
  - path: /d
    platform: aiflow
    transport: sse
`;
    expect(problems(load(text))).toEqual([
      "webhooks[3].transport: \"sse\" is not allowed; must be one of: http, websocket (line 15:16)",
    ]);
    expect(problems(load(text.replace("transport: sse", "transport: http")))).toEqual([
      "webhooks[0].transport: platform generic has no WebSocket framing (platforms with one: aiflow) (line 4:16)",
      "webhooks[1].transport: platform auto has no WebSocket framing (platforms with one: aiflow) (line 7:16)",
      "webhooks[2].auth.signature: frames on a WebSocket carry no signature: with transport: websocket use apiKey or basic, checked on the upgrade (line 12:18)",
    ]);
  });

  it("reports several problems at once, in file order", () => {
    const text = `server:
  port: x
  logLevel: loud
webhooks:
  - path: /a
    platform: nope
    auth:
      apiKey: { value: "\${MISSING}" }
    routes:
      - intnet: a
        reply: {}
      - intent: b
`;
    expect(problems(load(text))).toEqual([
      "server.port: must be a whole number (line 2:9)",
      "server.logLevel: \"loud\" is not allowed; must be one of: fatal, error, warn, info, debug, trace, silent (line 3:13)",
      "webhooks[0].platform: \"nope\" is not a platform; must be one of: apiai, dialogflow-v1, dialogflow, dialogflow-es, dialogflow-cx, hutoma, clustaar, aiflow, sipgate-ai-flow, rasa, lex, lex-v2, generic, auto (line 6:15)",
      "webhooks[0].auth.apiKey.value: environment variable MISSING is not set (line 8:24)",
      'webhooks[0].routes[0]: unknown key "intnet"; did you mean "intent"? (line 10:9)',
      "webhooks[0].routes[1]: a route needs exactly one of reply or handler (line 12:9)",
    ]);
  });

  it("freezes the issues too", () => {
    const result = load("webhooks: []\n");
    expect(Object.isFrozen(result)).toBe(true);
    expect(result.ok === false && Object.isFrozen(result.issues[0])).toBe(true);
  });
});

describe("loadConfig", () => {
  it("reads a file and resolves handlers against its folder", async () => {
    await writeFile(file, webhook("    routes:\n      - intent: a\n        handler: ./handlers/weather.ts\n"));
    const c = config(await loadConfig(file, { env: {} }));
    expect(c.file).toBe(file);
    const target = c.webhooks[0]?.routes[0]?.target;
    expect(target?.kind === "handler" && target.handler.file).toBe(join(dir, "handlers", "weather.ts"));
  });

  it("turns a missing file into an issue", async () => {
    const missing = join(dir, "missing.yaml");
    expect(problems(await loadConfig(missing))).toEqual([`(file): ${missing}: file not found`]);
  });

  it("turns a folder into an issue", async () => {
    expect(problems(await loadConfig(dir))).toEqual([`(file): ${dir}: is a folder, not a file`]);
  });
});

describe("normalizeConfigObject", () => {
  it("loads a JS object, substitutes env and leaves the object as it was", () => {
    const raw = {
      webhooks: [{ path: "/a", platform: "dialogflow-v1", auth: { apiKey: { value: "${KEY}" } }, routes: [{ intent: "x", handler: "./handlers/weather.ts" }] }],
    };
    const c = config(normalizeConfigObject(raw, { dir, env: { KEY: "secret" } }));
    expect(c.file).toBe("");
    expect(c.dir).toBe(dir);
    expect(c.webhooks[0]?.platform).toBe("apiai");
    expect(c.webhooks[0]?.auth?.apiKey?.value).toBe("secret");
    expect(c.webhooks[0]?.routes[0]?.at).toEqual({ path: "webhooks[0].routes[0]" });
    expect(raw.webhooks[0]?.auth.apiKey.value).toBe("${KEY}");
    expect(Object.isFrozen(raw)).toBe(false);
  });

  it("reports issues without positions", () => {
    const result = normalizeConfigObject({ webhooks: [{ path: "/a", platform: "generic", bogus: 1 }] }, { dir });
    expect(result).toEqual({ ok: false, issues: [{ path: "webhooks[0]", message: 'unknown key "bogus"' }] });
    expect(problems(normalizeConfigObject(null, { dir }))).toEqual(["(file): the configuration is empty (it needs at least webhooks:)"]);
  });
});

describe("server.drainDelay", () => {
  it.each([
    ["auto", "auto"],
    ["2s", 2000],
    ["0", 0],
    ["750", 750],
  ])("normalizes %s", (written, expected) => {
    const result = load(`server: { drainDelay: ${written} }\nwebhooks: [{ path: /a, platform: generic }]\n`);
    expect(result.ok && result.config.server.drainDelay).toBe(expected);
  });
});
