/**
 * The package's types from a user's project (the built package linked in as
 * node_modules/webhook-serve): ESM with `module: node16` and `nodenext`, CommonJS with
 * `nodenext` (TypeScript ≥ 5.8 models Node's require(esm)), and CommonJS with `node16` through a
 * `resolution-mode` type import, as the README's Handler API section says (with skipLibCheck,
 * as most projects set it), and the Fastify plugin registered in a user's app.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/spawn-server.js";

const TSC = join(REPO, "node_modules/typescript/bin/tsc");
const HANDLER = `import type { Handler, Reply } from "webhook-serve";
import { createTestServer } from "webhook-serve/testing";
const handler: Handler<{ city?: string }> = (turn) => \`Sunny in \${turn.params.city}\`;
// Keys a platform adds to the reply (declaration merging in its file) reach the user's types.
export const platformKeys: Reply = { targetPage: "Done", slots: { City: "Rome" }, displayText: "Hi", dialogAction: { type: "ElicitSlot", slotToElicit: "City" } };
export default handler;
export { createTestServer };
`;
const CJS_NODE16 = `import type { Handler } from "webhook-serve" with { "resolution-mode": "import" };
const handler: Handler<{ city?: string }> = (turn) => \`Sunny in \${turn.params.city}\`;
export = handler;
`;
const PLUGIN = `import Fastify from "fastify";
import webhookServe, { type WebhookServeOptions } from "webhook-serve/fastify";
const app = Fastify();
const options: WebhookServeOptions = { config: "./config.yaml", prefix: "/bots" };
await app.register(webhookServe, options);
await app.register(webhookServe, { config: { webhooks: [] }, env: {} });
`;
// A platform of the user's own adds a reply key, as docs/platforms/README.md shows.
const OWN_REPLY_KEY = `import type { Handler } from "webhook-serve";
declare module "webhook-serve" {
  interface PlatformReplyFields {
    media?: string;
  }
}
const handler: Handler = () => ({ text: "Here", media: "https://example.com/a.png" });
export default handler;
`;
const PLUGIN_BROKEN = `import Fastify from "fastify";
import webhookServe from "webhook-serve/fastify";
await Fastify().register(webhookServe, { config: 42 });
`;
const BROKEN = `import type { Handler } from "webhook-serve";
const handler: Handler<{ city: string }> = (turn) => turn.params.size;
export default handler;
`;

function project(type: "module" | "commonjs", source: string): string {
  const dir = mkdtempSync(join(tmpdir(), `whs-types-${type}-`));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules/webhook-serve"));
  symlinkSync(join(REPO, "node_modules/@types"), join(dir, "node_modules/@types"));
  symlinkSync(join(REPO, "node_modules/fastify"), join(dir, "node_modules/fastify"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type }));
  writeFileSync(join(dir, "handler.ts"), source);
  return dir;
}

function tsc(dir: string, module: "node16" | "nodenext"): string {
  try {
    execFileSync(process.execPath, [TSC, "--noEmit", "--strict", "--skipLibCheck", "--module", module, "--moduleResolution", module, "--target", "es2022", "--types", "node", "handler.ts"], { cwd: dir, encoding: "utf8" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
}

describe("types from a user's project", () => {
  it.each([
    ["module", "node16", HANDLER],
    ["module", "nodenext", HANDLER],
    ["commonjs", "nodenext", HANDLER],
    ["commonjs", "node16", CJS_NODE16],
    ["module", "nodenext", PLUGIN],
    ["module", "nodenext", OWN_REPLY_KEY],
  ] as const)("%s with module %s compiles", { timeout: 30_000 }, (type, module, source) => {
    expect(tsc(project(type, source), module)).toBe("");
  });

  it("and still catches a wrong param name", { timeout: 30_000 }, () => {
    expect(tsc(project("module", BROKEN), "nodenext")).toMatch(/Property 'size' does not exist/);
  });

  it("and a platform's reply key of the wrong shape", { timeout: 30_000 }, () => {
    const reply = `import type { Reply } from "webhook-serve";\nexport const r: Reply = { dialogAction: { type: "ElicitSlot" } };\n`;
    expect(tsc(project("module", reply), "nodenext")).toMatch(/slotToElicit/);
  });

  it("and a plugin option of the wrong type", { timeout: 30_000 }, () => {
    expect(tsc(project("module", PLUGIN_BROKEN), "nodenext")).toMatch(/'number' is not assignable/);
  });
});
