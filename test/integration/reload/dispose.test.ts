/**
 * A handler module's `dispose` export on a real server: a reload runs the old version's once
 * the request still running on it has been answered; a shutdown runs the serving version's;
 * one that throws is logged and changes nothing else; a reload that fails disposes what it
 * loaded (and counts as failed in /metrics).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";

const CONFIG = `webhooks:
  - path: /hook
    platform: generic
    routes:
      - event: hello
        handler: ./handler.mjs
`;
/** Each version records its dispose in dispose.log; `ms` in the body makes a call slow, and says when it started. */
const HANDLER = (v: string, disposeBody = `appendFileSync(LOG, "dispose ${v}\\n");`) => `import { appendFileSync } from "node:fs";
const LOG = new URL("./dispose.log", import.meta.url);
export default async function hello(turn, context) {
  if (turn.raw.ms) context.log.warn("slow call started on ${v}");
  await new Promise((r) => setTimeout(r, Number(turn.raw.ms ?? 0)));
  return { text: "${v}" };
}
export function dispose() { ${disposeBody} }
`;

let dir = "";
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function project(): void {
  dir = mkdtempSync(join(tmpdir(), "whs-dispose-"));
  writeFileSync(join(dir, "package.json"), `{"type":"module"}\n`);
  writeFileSync(join(dir, "config.yaml"), CONFIG);
  writeFileSync(join(dir, "handler.mjs"), HANDLER("v1"));
}

const disposed = (): string => (existsSync(join(dir, "dispose.log")) ? readFileSync(join(dir, "dispose.log"), "utf8") : "");

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}\n${server?.output().slice(-3000)}`);
}

const text = async (body: object = {}) => ((await post(`${server?.url}/hook`, { type: "hello", ...body })).body as { text?: string }).text;

describe("handler modules' dispose export", () => {
  it("runs the old version's after its last request on a reload, and the serving one's on shutdown", async () => {
    project();
    server = await spawnServer([join(dir, "config.yaml")]);
    expect(await text()).toBe("v1");
    const slow = text({ ms: 800 });
    await server.waitForOutput("slow call started on v1");
    writeFileSync(join(dir, "handler.mjs"), HANDLER("v2"));
    server.child.kill("SIGHUP");
    await server.waitForOutput("reloaded in");
    expect(await text()).toBe("v2");
    // v1 is still answering the slow request: not disposed yet.
    expect(disposed()).toBe("");
    expect(await slow).toBe("v1");
    await until(() => disposed() === "dispose v1\n", "v1's dispose");

    expect(await server.stop("SIGTERM")).toBe(0);
    expect(disposed()).toBe("dispose v1\ndispose v2\n");
    server = undefined;
  });

  it("logs a dispose that throws and keeps serving; a failed reload disposes what it loaded", async () => {
    project();
    writeFileSync(join(dir, "handler.mjs"), HANDLER("v1", 'throw new Error("pool already closed");'));
    server = await spawnServer([join(dir, "config.yaml")]);
    writeFileSync(join(dir, "handler.mjs"), HANDLER("v2"));
    server.child.kill("SIGHUP");
    await server.waitForOutput("dispose() failed: pool already closed");
    expect(await text()).toBe("v2");

    // The config now names an export the (freshly loaded) module lacks: the reload fails, v3 is disposed.
    writeFileSync(join(dir, "handler.mjs"), HANDLER("v3"));
    writeFileSync(join(dir, "config.yaml"), CONFIG.replace("./handler.mjs", "./handler.mjs#missing"));
    server.child.kill("SIGHUP");
    await server.waitForOutput("reload failed");
    await until(() => disposed() === "dispose v3\n", "the failed reload's dispose");
    expect(await text()).toBe("v2");
    expect(server.child.exitCode).toBeNull();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^webhook_serve_reloads_total\{result="ok"\} 1$/m);
    expect(metrics).toMatch(/^webhook_serve_reloads_total\{result="failed"\} 1$/m);
  });
});
