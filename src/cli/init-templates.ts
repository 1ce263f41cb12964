/**
 * @module The files `webhook-serve init` writes: a routing file with the editor schema
 * comment, one TypeScript handler, its test using `webhook-serve/testing`, and a
 * package.json. Kept as plain strings so the output is exactly what users read.
 */

/** Local path: works offline and always matches the installed version. */
export const SCHEMA_COMMENT = "# yaml-language-server: $schema=./node_modules/webhook-serve/schema/config.schema.json";

export const CONFIG_YAML = `${SCHEMA_COMMENT}
# Routing file: see https://github.com/webhook-serve/webhook-serve#readme
webhooks:
  - path: /dialogflow
    platform: dialogflow
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
  server = await createTestServer(config);
});
afterAll(() => server.close());

describe("hello", () => {
  it("greets by name", async () => {
    const res = await server.send({ intent: "hello", params: { name: "Ada" } });
    expect(res.status).toBe(200);
    expect(res.reply?.text).toBe("Hello, Ada!");
  });

  it("greets strangers", async () => {
    const res = await server.send({ intent: "hello" });
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
      dev: "webhook-serve config.yaml --watch",
      test: "vitest run",
    },
    dependencies: { "webhook-serve": `^${version}` },
    devDependencies: { vitest: "^4.0.0" },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
