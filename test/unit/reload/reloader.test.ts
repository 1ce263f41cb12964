/** Hot reload in-process, over real files: build beside, swap on success, keep the old on failure, dispose the retired. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { handleBytes } from "../../../src/core/handle-bytes.js";
import type { Pipeline } from "../../../src/core/handle.js";
import { createReloader, type ReloadOutcome } from "../../../src/reload/create-reloader.js";
import { startWatching } from "../../../src/reload/start-watching.js";
import { loadPipeline } from "../../../src/core/load-pipeline.js";

const logger = pino({ level: "silent" });
const CONFIG = (text: string) => `webhooks:
  - path: /hook
    platform: generic
    routes:
      - { event: static, reply: { text: "${text}" } }
      - { event: handled, handler: ./handler.ts }
`;
const HANDLER = (text: string) => `import { suffix } from "./lib.js";\nexport default () => ({ text: "${text}" + suffix });\nexport function dispose() { (globalThis as any).disposed = ((globalThis as any).disposed ?? 0) + 1; }\n`;

let dir = "";
let pipeline: Pipeline | undefined;

function project(): string {
  dir = mkdtempSync(join(tmpdir(), "whs-reloader-"));
  writeFileSync(join(dir, "package.json"), `{"type":"module"}\n`);
  writeFileSync(join(dir, "config.yaml"), CONFIG("static-v1"));
  writeFileSync(join(dir, "handler.ts"), HANDLER("handler-v1"));
  writeFileSync(join(dir, "lib.ts"), `export const suffix: string = "!";\n`);
  return join(dir, "config.yaml");
}

async function say(event: string): Promise<string> {
  const res = await handleBytes(pipeline as Pipeline, { method: "POST", url: "/hook", headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ type: event })) });
  return (JSON.parse(res.body) as { text?: string }).text ?? res.body;
}

afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("createReloader", () => {
  it("swaps in the edited config and handlers; a broken edit keeps the last good runtime and lists every problem", async () => {
    const file = project();
    pipeline = await loadPipeline(file, { logger });
    const reloader = createReloader(pipeline, { configFile: file, logger, env: {} });
    expect(await say("handled")).toBe("handler-v1!");

    writeFileSync(file, CONFIG("static-v2"));
    writeFileSync(join(dir, "lib.ts"), `export const suffix: string = "?";\n`);
    const ok = await reloader.reload([file]);
    expect(ok).toMatchObject({ ok: true, issues: [] });
    expect(await say("static")).toBe("static-v2");
    expect(await say("handled")).toBe("handler-v1?");

    writeFileSync(file, `${CONFIG("static-v3")}      - { event: broken, handler: ./missing.ts }\n      - { evnt: typo }\n`);
    const failed = await reloader.reload([file]);
    expect(failed.ok).toBe(false);
    expect(failed.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(["webhooks[0].routes[3]"]));
    expect(await say("static")).toBe("static-v2");
  });

  it("reports a handler that does not compile with its line, and serves on", async () => {
    const file = project();
    pipeline = await loadPipeline(file, { logger });
    const reloader = createReloader(pipeline, { configFile: file, logger, env: {} });
    writeFileSync(join(dir, "handler.ts"), "export default () => {{;\n");
    const failed = await reloader.reload([join(dir, "handler.ts")]);
    expect(failed.ok).toBe(false);
    expect(failed.issues[0]?.message).toMatch(/cannot import \.\/handler\.ts: .*handler\.ts:\d+:\d+: Unexpected end of file/);
    expect(await say("handled")).toBe("handler-v1!");
  });

  it("warns that a webhook turned transport: websocket needs a restart before upgrades are accepted", async () => {
    const file = project();
    const lines: string[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    pipeline = await loadPipeline(file, { logger: capture });
    const reloader = createReloader(pipeline, { configFile: file, logger: capture, env: {} });
    writeFileSync(file, CONFIG("static-v2").replace("platform: generic", "platform: aiflow\n    transport: websocket"));
    expect((await reloader.reload([file])).ok).toBe(true);
    expect(lines.join("")).toContain("transport: websocket added: restart required to accept WebSocket upgrades");
    expect(pipeline.runtime.config.webhooks[0]?.transport).toBe("websocket");
  });

  it("runs the retired runtime's dispose exports after a swap", async () => {
    const file = project();
    (globalThis as { disposed?: number }).disposed = 0;
    pipeline = await loadPipeline(file, { logger });
    const reloader = createReloader(pipeline, { configFile: file, logger, env: {} });
    writeFileSync(join(dir, "handler.ts"), HANDLER("handler-v2"));
    expect((await reloader.reload([])).ok).toBe(true);
    expect(await say("handled")).toBe("handler-v2!");
    await expect.poll(() => (globalThis as { disposed?: number }).disposed).toBe(1);
  });
});

describe("startWatching", () => {
  it("reloads when a handler's local import changes on disk", async () => {
    const file = project();
    pipeline = await loadPipeline(file, { logger });
    let reloaded: (outcome: ReloadOutcome) => void = () => {};
    const next = new Promise<ReloadOutcome>((resolve) => (reloaded = resolve));
    const watching = await startWatching(pipeline, { configFile: file, logger, env: {}, debounceMs: 20, onReload: (outcome) => reloaded(outcome) });
    try {
      expect(watching.watcher.files).toEqual(expect.arrayContaining([join(dir, "lib.ts"), join(dir, "handler.ts"), file]));
      writeFileSync(join(dir, "lib.ts"), `export const suffix: string = " (edited)";\n`);
      expect((await next).ok).toBe(true);
      expect(await say("handled")).toBe("handler-v1 (edited)");
    } finally {
      await watching.close();
    }
  });
});
