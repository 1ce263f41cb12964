/**
 * @module The files `webhook-serve init` writes: a routing file with the editor schema
 * comment and basic auth from the environment, one TypeScript handler, its test using
 * `webhook-serve/testing`, `.env.example` with a generated password, a tsconfig.json, and a
 * package.json. Kept as plain strings so the output is exactly what users read.
 */
import { randomBytes } from "node:crypto";

/** Local path: works offline and always matches the installed version. */
const SCHEMA_COMMENT = "# yaml-language-server: $schema=./node_modules/webhook-serve/schema/config.schema.json";

export const CONFIG_YAML = `${SCHEMA_COMMENT}
# (The line above gives your editor completions once webhook-serve is installed: npm install.)
# Routing file: see https://github.com/webhook-serve/webhook-serve#readme
webhooks:
  - path: /dialogflow
    platform: dialogflow
    # Dialogflow sends these from the fulfillment settings ("Basic auth"); values come from
    # the environment or .env (npm run dev reads it; copy .env.example to .env first).
    auth:
      basic: { username: "\${BOT_USER:-dialogflow}", password: "\${BOT_PASSWORD}" }
    routes:
      # First match wins, in file order.
      - intent: hello
        handler: ./handlers/hello.ts
      - intent: Default Welcome Intent
        reply:
          text: "Hi! Say hello to me."
`;

export const HELLO_HANDLER = `import type { Handler } from "webhook-serve";

/** Answers the "hello" intent; \`turn.params\` holds the intent's parameters. */
const hello: Handler = (turn) => {
  const name = typeof turn.params.name === "string" && turn.params.name !== "" ? turn.params.name : "there";
  return { text: \`Hello, \${name}!\` };
};

export default hello;
`;

export const HELLO_TEST = `import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "webhook-serve/testing";

const config = fileURLToPath(new URL("../config.yaml", import.meta.url));
let server: TestServer;

beforeAll(async () => {
  // send() adds the basic credentials the webhook requires; any password works in a test.
  server = await createTestServer(config, { env: { ...process.env, BOT_PASSWORD: "test-password" } });
});
afterAll(() => server.close());

describe("hello", () => {
  it("greets by name", async () => {
    const res = await server.send({ path: "/dialogflow", intent: "hello", params: { name: "Ada" } });
    expect(res.status).toBe(200);
    expect(res.reply?.text).toBe("Hello, Ada!");
  });

  it("greets strangers", async () => {
    const res = await server.send({ path: "/dialogflow", intent: "hello" });
    expect(res.reply?.text).toBe("Hello, there!");
  });
});
`;

export function packageJson(name: string, version: string): string {
  const pkg = {
    name,
    private: true,
    type: "module",
    scripts: {
      start: "webhook-serve config.yaml",
      dev: "webhook-serve config.yaml --watch --env-file .env",
      test: "vitest run",
      "test:conversations": "webhook-serve test test --env-file .env.example",
      typecheck: "tsc --noEmit",
    },
    dependencies: { "webhook-serve": `^${version}` },
    devDependencies: { "@types/node": "^20.19.0", typescript: "^5.9.0", vitest: "^4.0.0" },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** A conversation test (`webhook-serve test`): two turns through the real pipeline. */
export const HELLO_CONVERSATION = `# A conversation test: npm run test:conversations (webhook-serve test). Each turn is sent
# through the real pipeline; contexts and session values carry over as Dialogflow carries them.
config: ../config.yaml
webhook: /dialogflow
turns:
  - intent: Default Welcome Intent
    expect: { text: "Hi! Say hello to me." }
  - intent: hello
    params: { name: Ada }
    expect: { text: "Hello, Ada!", route: intent=hello }
`;

/** `.env.example`, with a fresh random password each time (copy it to `.env`). */
export function envExample(): string {
  return [
    "# Copy to .env (never commit .env). npm run dev reads it; in production set real variables.",
    "BOT_USER=dialogflow",
    `BOT_PASSWORD=${randomBytes(18).toString("base64url")}`,
    "",
  ].join("\n");
}

export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] },
    include: ["handlers", "test"],
  },
  null,
  2,
)}
`;

export const GITIGNORE = "node_modules/\n.env\n";
