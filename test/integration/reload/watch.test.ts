/**
 * --watch on real files and a real listening server: edit a handler, an imported module and
 * the config; break each and fix it, with requests every ~5 ms throughout (all must be 200);
 * rename-on-save; polling mode; --pretty logs.
 */
import { mkdtempSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { post, runCli, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";

const CONFIG = (staticText: string, port = "") => `${port}webhooks:
  - path: /hook
    platform: generic
    routes:
      - event: hello
        handler: ./handlers/hello.ts
      - event: static
        reply: { text: "${staticText}" }
`;
const HANDLER = (v: string) => `import { greet } from "./lib/greet.js";\nexport default function hello() { return { text: greet() + " handler-${v}" }; }\n`;
const LIB = (v: string) => `export function greet(): string { return "greet-${v}"; }\n`;

let dir = "";
let server: RunningServer | undefined;

function project(): string {
  dir = mkdtempSync(join(tmpdir(), "whs-watch-"));
  mkdirSync(join(dir, "handlers/lib"), { recursive: true });
  writeFileSync(join(dir, "package.json"), `{"type":"module"}\n`);
  writeFileSync(join(dir, "config.yaml"), CONFIG("static-v1"));
  writeFileSync(join(dir, "handlers/hello.ts"), HANDLER("v1"));
  writeFileSync(join(dir, "handlers/lib/greet.ts"), LIB("v1"));
  return dir;
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function text(event: string): Promise<string> {
  const res = await post(`${server?.url}/hook`, { type: event });
  return String((res.body as { text?: string } | undefined)?.text ?? `status ${res.status}`);
}

/** vi.waitFor with the server's output in the failure. */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 8000): Promise<void> {
  await vi.waitFor(async () => {
    if (!(await check())) throw new Error(`timed out waiting for ${what}\n${server?.output().slice(-3000)}`);
  }, { timeout: ms, interval: 20 });
}

const count = (needle: string) => server?.output().split(needle).length ?? 1;

/** Posts one request after another (paced by 5 ms) until stopped; returns every answer seen. */
function hammer(event: string): { answers: { status: number; text: string }[]; stop(): Promise<{ status: number; text: string }[]> } {
  const answers: { status: number; text: string }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const res = await post(`${server?.url}/hook`, { type: event });
      answers.push({ status: res.status, text: JSON.stringify(res.body) });
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

/** Edit → new text; break → logged with line:col, old one still served; fix → new text. */
async function editBreakFix(event: string, file: string, good: (v: string) => string, broken: string, expected: (v: string) => string): Promise<void> {
  const load = hammer(event);
  writeFileSync(join(dir, file), good("v2"));
  await until(async () => (await text(event)).includes(expected("v2")), `${file} v2`);
  await until(() => load.answers.some((a) => a.text.includes(expected("v2"))), "the load answered by v2");
  const before = server?.output().length ?? 0;
  writeFileSync(join(dir, file), broken);
  // A reload may first catch the file half-written (empty): wait for the report of the broken content.
  await until(() => /reload failed[\s\S]*\(line \d+:\d+\)/.test(server?.output().slice(before) ?? ""), `a failed reload with line:col after breaking ${file}`);
  expect(await text(event)).toContain(expected("v2"));
  writeFileSync(join(dir, file), good("v3"));
  await until(async () => (await text(event)).includes(expected("v3")), `${file} v3`);
  await until(() => load.answers.some((a) => a.text.includes(expected("v3"))), "the load answered by v3");
  // The load ran through both reloads (it was answered by v2 and by v3): none of its requests failed.
  const answers = await load.stop();
  expect(answers.filter((a) => a.status !== 200)).toEqual([]);
}

describe("--watch", () => {
  it("reloads an edited handler, keeps the old one while it is broken, zero failed requests", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--watch"]);
    expect(await text("hello")).toBe("greet-v1 handler-v1");
    await editBreakFix("hello", "handlers/hello.ts", HANDLER, "export default function (( {", (v) => `handler-${v}`);
    expect(server.output()).toContain("reloaded in");
  }, 20_000);

  it("reloads an edited imported module (.js specifier, .ts file)", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--watch"]);
    await editBreakFix("hello", "handlers/lib/greet.ts", LIB, "export function greet( {", (v) => `greet-${v}`);
  }, 20_000);

  it("reloads the config, reports every problem with line:col, and says a port change needs a restart", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--watch"]);
    await editBreakFix("static", "config.yaml", (v) => CONFIG(`static-${v}`), CONFIG("x").replace("event: static", "event: static\n        bogus: 1"), (v) => `static-${v}`);
    expect(server.output()).toMatch(/bogus.*\(line 8:\d+\)/);
    writeFileSync(join(dir, "config.yaml"), CONFIG("static-v4", "server:\n  port: 9999\n"));
    await until(() => server?.output().includes("restart required") ?? false, "restart required");
    expect(await text("static")).toBe("static-v4");
  }, 20_000);

  it("follows editors that save by renaming a temp file over the original", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--watch"]);
    for (const v of ["v2", "v3"]) {
      const temp = join(dir, "handlers", `.hello.ts.${v}.tmp`);
      writeFileSync(temp, HANDLER(v));
      renameSync(temp, join(dir, "handlers/hello.ts"));
      await until(async () => (await text("hello")).includes(`handler-${v}`), `rename ${v}`);
    }
  }, 20_000);

  it("polls when asked (bind mounts without native events) and says so", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--watch"], { env: { WEBHOOK_SERVE_WATCH_POLL: "1" } });
    expect(server.output()).toContain("polling every 300 ms");
    writeFileSync(join(dir, "handlers/lib/greet.ts"), LIB("polled"));
    await until(async () => (await text("hello")).includes("greet-polled"), "polled reload");
  }, 20_000);
});

describe("--pretty", () => {
  it("prints human-readable lines, not JSON", async () => {
    server = await spawnServer([join(project(), "config.yaml"), "--pretty"]);
    const lines = server.output().split("\n").filter((line) => line.includes("listening"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).toThrow();
  }, 20_000);
});

describe("SIGHUP without --watch", () => {
  it("reloads config and handlers (edited imports too), keeps serving on a broken config", async () => {
    project();
    server = await spawnServer([join(dir, "config.yaml")]);
    expect(await text("hello")).toBe("greet-v1 handler-v1");
    writeFileSync(join(dir, "handlers/lib/greet.ts"), LIB("v2"));
    writeFileSync(join(dir, "config.yaml"), CONFIG("static-v2"));
    server.child.kill("SIGHUP");
    await until(async () => (await text("hello")) === "greet-v2 handler-v1", "the edited import after SIGHUP");
    expect(await text("static")).toBe("static-v2");

    writeFileSync(join(dir, "config.yaml"), `${CONFIG("static-v3")}    bogus: 1\n`);
    server.child.kill("SIGHUP");
    await until(() => count("reload failed") > 1, "a failed reload");
    // The problem lines follow the "reload failed" line (they may arrive in a later chunk).
    await until(() => /bogus.*\(line \d+:\d+\)/.test(server?.output() ?? ""), "the problem with its line:column");
    expect(await text("static")).toBe("static-v2");
    expect(server.child.exitCode).toBeNull();
  });
});

describe("secrets after a reload", () => {
  it("scrubs a secret the reloaded config introduced from every log line", async () => {
    project();
    const key = "key-added-by-reload-7f3a";
    writeFileSync(join(dir, "handlers/tell.ts"), `export default function tell(turn, ctx) { ctx.log.info({ seen: turn.headers["x-echo"] }, "handler saw"); return { text: "ok" }; }\n`);
    const config = (auth: string) => `webhooks:\n  - path: /hook\n    platform: generic\n${auth}    routes:\n      - event: tell\n        handler: ./handlers/tell.ts\n`;
    writeFileSync(join(dir, "config.yaml"), config(""));
    server = await spawnServer([join(dir, "config.yaml")]);
    writeFileSync(join(dir, "config.yaml"), config(`    auth:\n      apiKey: { value: "${key}" }\n`));
    server.child.kill("SIGHUP");
    await until(() => count("reloaded in") > 1, "the reload");
    const res = await post(`${server.url}/hook`, { type: "tell" }, { "api-key": key, "x-echo": `my key is ${key}` });
    expect(res.status).toBe(200);
    await until(() => count("handler saw") > 1, "the handler's log line");
    expect(server.output()).toContain("my key is [redacted]");
    expect(server.output()).not.toContain(key);
  });
});

describe("reload edge cases", () => {
  it("reloads a config reached through a symlinked folder (a Kubernetes ConfigMap mount)", async () => {
    project();
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    try {
      server = await spawnServer([join(link, "config.yaml")]);
      expect(await text("hello")).toBe("greet-v1 handler-v1");
      writeFileSync(join(dir, "handlers/hello.ts"), HANDLER("v2"));
      server.child.kill("SIGHUP");
      await until(async () => (await text("hello")) === "greet-v1 handler-v2", "the reloaded handler behind the symlink");
      expect(server.output()).not.toContain("was not part of this reload");
    } finally {
      rmSync(link, { force: true });
    }
  });

  it("keeps a reloaded handler's lazily imported local module loadable, also once older generations' files are deleted", async () => {
    project();
    const lazy = (v: string) => `export async function later(): Promise<string> { return "lazy-${v}"; }\n`;
    writeFileSync(join(dir, "handlers/lazy.ts"), lazy("v1"));
    writeFileSync(join(dir, "handlers/hello.ts"), `export default async function hello() { const { later } = await import("./lazy.js"); return { text: await later() }; }\n`);
    server = await spawnServer([join(dir, "config.yaml"), "--watch"]);
    expect(await text("hello")).toBe("lazy-v1");
    // Each reload deletes the files of the generation retired two reloads before: by v4, v2's are
    // gone, and the serving generation's first lazy import comes after that.
    for (const v of ["v2", "v3", "v4"]) {
      writeFileSync(join(dir, "handlers/lazy.ts"), lazy(v));
      await until(async () => (await text("hello")) === `lazy-${v}`, `the lazily imported module, reloaded (${v})`);
    }
  });

  it("survives a reload that cannot even start (temp folder unusable): logs it and keeps serving", async () => {
    project();
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    server = await spawnServer([join(dir, "config.yaml")], { env: { TMPDIR: tmp } });
    expect(await text("hello")).toBe("greet-v1 handler-v1");
    // The start compiled the handlers into a folder here; put a file where the next generation goes.
    const [folder] = readdirSync(tmp).filter((name) => name.startsWith("webhook-serve-handlers-"));
    expect(folder).toBeDefined();
    rmSync(join(tmp, folder as string), { recursive: true });
    writeFileSync(join(tmp, folder as string), "a file where the temp folder should be\n");
    server.child.kill("SIGHUP");
    await until(() => count("reload failed") > 1, "the failed reload");
    expect(server.output()).toContain("set TMPDIR to a writable folder");
    expect(server.child.exitCode).toBeNull();
    expect(await text("hello")).toBe("greet-v1 handler-v1");
  });

  it("refuses to start, with the reason and no stack, when handlers cannot be compiled to TMPDIR", async () => {
    project();
    const notADir = join(dir, "not-a-dir");
    writeFileSync(notADir, "a file where the temp folder should be\n");
    const res = await runCli([join(dir, "config.yaml"), "--port", "0"], { env: { TMPDIR: notADir } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/handler: cannot import \.\/handlers\/hello\.ts: cannot write the compiled handlers to .*not-a-dir.*set TMPDIR to a writable folder/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("--watch and a handler not written yet", () => {
  it("reloads once the missing handler file (in a new folder) is created", async () => {
    project();
    server = await spawnServer([join(dir, "config.yaml"), "--watch"]);
    writeFileSync(join(dir, "config.yaml"), CONFIG("static-v1").replace("./handlers/hello.ts", "./handlers/later/new.ts"));
    await until(() => /handler file \.\/handlers\/later\/new\.ts not found/.test(server?.output() ?? ""), "the missing-handler report");
    mkdirSync(join(dir, "handlers/later"));
    writeFileSync(join(dir, "handlers/later/new.ts"), `export default function hello() { return { text: "new one" }; }\n`);
    await until(async () => (await text("hello")) === "new one", "the reload after the handler appeared", 10_000);
    expect(server.output()).not.toContain("native file events unavailable");
  });
});
