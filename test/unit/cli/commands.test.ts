/** The CLI's commands run in-process (no spawned binary): exit codes, issue output, tables, send. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess as runCli } from "../../helpers/run-cli-in-process.js";

describe("webhook-serve commands", () => {
  it("validate: ok config exits 0", async () => {
    const res = await runCli(["validate", "config.example.yaml"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/config\.example\.yaml: ok \(2 webhooks, 5 routes\)/);
  });

  it("validate: prints every problem with path and line:column, no stack, exit 1", async () => {
    const res = await runCli(["validate", "test/fixtures/cli/bad.yaml"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('webhooks[0].routes[1]: unknown key "intnet"; did you mean "intent"? (line 9:9)');
    expect(res.stderr).toMatch(/webhooks\[1\]\.platform: .*\(line 14:15\)/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("a handler that fails to import, or lacks its export, is a config error naming the file", async () => {
    const res = await runCli(["validate", "test/fixtures/cli/broken-handler.yaml"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/webhooks\[0\]\.routes\[0\]\.handler: cannot import \.\/handlers\/broken\.mjs: .* \(line 6:18\)/);
    expect(res.stderr).toMatch(/webhooks\[0\]\.routes\[1\]\.handler: \.\/handlers\/ok\.mjs#nope: no function exported as "nope" \(found: default\)/);
  });

  it("routes: prints the routing table", async () => {
    const res = await runCli(["routes", "config.example.yaml"]);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PATH\s+PLATFORM\s+MATCH\s+TARGET$/);
    expect(res.stdout).toMatch(/\/apiai\s+apiai\s+action=weather\.lookup\s+\.\/handlers\/weather\.ts/);
    expect(res.stdout).toMatch(/\/apiai\s+apiai\s+intent=order\.pizza when result\.parameters\.size in \[small, medium, large\]\s+\.\/handlers\/pizza\.ts#orderPizza/);
    expect(res.stdout).toMatch(/\/apiai\s+apiai\s+\(fallback\)\s+reply "Sorry/);
  });

  it("send: builds an authenticated API.AI request, runs a TS handler in-process, prints the reply", async () => {
    const res = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--action", "weather.lookup", "--param", "city=Rome"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout.split("\n")[0]).toBe("200 OK");
    const body = JSON.parse(res.stdout.slice(res.stdout.indexOf("{"))) as Record<string, unknown>;
    expect(body.speech).toBe("It is sunny in Rome.");
    expect(body.contextOut).toEqual([{ name: "weather", lifespan: 2, parameters: { city: "Rome" } }]);
  });

  it("send: basic-auth Dialogflow ES webhook with a templated reply", async () => {
    const res = await runCli(["send", "config.example.yaml", "--path", "/dialogflow", "--intent", "greetings", "--param", "given-name=Ana"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout.slice(res.stdout.indexOf("{")))).toMatchObject({ fulfillmentText: "Hello Ana from Dialogflow ES." });
  });

  it("loads a TypeScript handler from a CommonJS package", async () => {
    const res = await runCli(["send", "test/fixtures/cjs/config.yaml", "--action", "greetings", "--param", "name=Ana"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout.slice(res.stdout.indexOf("{")))).toMatchObject({ speech: "Hello Ana" });
  });

  it("send: unknown path and bad --param are clear errors", async () => {
    const noPath = await runCli(["send", "config.example.yaml", "--path", "/nope", "--action", "x"]);
    expect(noPath.code).toBe(1);
    expect(noPath.stderr).toContain("no webhook at /nope; paths: /apiai, /dialogflow");
    const badParam = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--param", "novalue"]);
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toContain("expected name=value");
  });

  it("rejects a bad --port or LOG_LEVEL with a clear message", async () => {
    const port = await runCli(["config.example.yaml", "--port", "http"]);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('--port: "http" is not a port number (0-65535)');
    const level = await runCli(["config.example.yaml"], { LOG_LEVEL: "loud" });
    expect(level.code).toBe(1);
    expect(level.stderr).toContain('LOG_LEVEL: "loud" must be one of');
  });

  it("help <command> prints that command's help", async () => {
    const res = await runCli(["help", "validate"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Usage: webhook-serve validate [options] <config>");
  });

  it("--env-file reads ${NAME} values from a dotenv file, the environment winning; a missing file is an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-envfile-"));
    writeFileSync(join(dir, "config.yaml"), 'webhooks:\n  - path: /x\n    platform: generic\n    auth: { apiKey: { value: "${API_KEY}" } }\n    routes:\n      - { event: a, reply: { text: "${GREETING}" } }\n');
    writeFileSync(join(dir, ".env"), "API_KEY=from-file\nGREETING=hello from the file\n");
    const without = await runCli(["validate", join(dir, "config.yaml")]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("API_KEY is not set");
    const routes = await runCli(["routes", join(dir, "config.yaml"), "--env-file", join(dir, ".env")], { GREETING: "hello from the environment" });
    expect(routes.code).toBe(0);
    expect(routes.stdout).toContain("hello from the environment");
    const missing = await runCli(["validate", join(dir, "config.yaml"), "--env-file", join(dir, "nope.env")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nope.env");
  });
  it("init writes a starter project, then refuses to overwrite it, naming the files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-init-"));
    const first = await runCli(["init", dir]);
    expect(first.code).toBe(0);
    for (const file of ["config.yaml", "handlers/hello.ts", "test/hello.test.mts", "test/hello.conversation.yaml", ".env.example", "tsconfig.json", "package.json"]) expect(existsSync(join(dir, file)), file).toBe(true);
    // Its conversation test passes, as `npm run test:conversations` runs it.
    const conversation = await runCli(["test", join(dir, "test"), "--env-file", join(dir, ".env.example")]);
    expect(conversation.stdout).toContain("1 of 1 conversations passed (2 turns)");
    expect(conversation.code).toBe(0);
    expect((await runCli(["validate", join(dir, "config.yaml")], { BOT_PASSWORD: "pw" })).code).toBe(0);
    const again = await runCli(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("refusing to overwrite config.yaml, handlers/hello.ts, test/hello.test.mts");
  });

  it("writes nothing when a folder cannot be made, and quotes a path with spaces", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whs-init-"));
    const blocked = join(dir, "blocked");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "handlers"), "a file where the folder should go\n");
    const res = await runCli(["init", blocked]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("nothing was written");
    expect(existsSync(join(blocked, "config.yaml"))).toBe(false);

    const spaced = join(dir, "My Bot");
    const ok = await runCli(["init", spaced]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/cd '[^']*My Bot'/);
  });

  it("send --body replays a saved request, authenticated as the webhook requires; --explain says why each route did or did not match", async () => {
    const res = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--body", "test/fixtures/payloads/apiai/request.json", "--explain"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const [first, second, third] = res.stdout.split("\n");
    expect(first).toBe("✓ action=greetings  (answers)");
    expect(second).toBe('✗ action=weather.lookup  action: wants "weather.lookup" but was "greetings"');
    expect(third).toMatch(/^✗ intent=order\.pizza when result\.parameters\.size in \[small, medium, large\] {2}intent: wants "order\.pizza" but was/);
    expect(JSON.parse(res.stdout.slice(res.stdout.indexOf("{")))).toMatchObject({ speech: "Hi Ana! Nice to meet you." });
  });

  it("send --explain names the failing filter, its expected and its actual value", async () => {
    const res = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--intent", "order.pizza", "--param", "size=huge", "--explain"]);
    expect(res.stdout).toContain("✗ intent=order.pizza when result.parameters.size in [small, medium, large]  result.parameters.size: in [\"small\",\"medium\",\"large\"] but was \"huge\"");
    expect(res.stdout).toContain("200 OK"); // the webhook's fallback answered
  });

  it("send --body reports a missing or non-JSON file clearly", async () => {
    const missing = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--body", "nope.json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--body nope.json: no such file");
    const notJson = await runCli(["send", "config.example.yaml", "--path", "/apiai", "--body", "README.md"]);
    expect(notJson.stderr).toContain("--body README.md: not JSON");
  });
});
