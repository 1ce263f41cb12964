import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandlerRef } from "../../../src/config/types.js";
import { pathToFileURL } from "node:url";
import { handlerKey, loadHandlers } from "../../../src/handlers/load-handlers.js";

const importModule = async (file: string) => (await import(pathToFileURL(file).href)) as Record<string, unknown>;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "whs-load-handlers-"));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  await writeFile(join(dir, "hello.mjs"), 'export default () => "hello";\nexport const bye = () => "bye";\nexport const notAFunction = 1;\n');
  await writeFile(join(dir, "pooled.mjs"), 'export const closed = [];\nexport default () => "pooled";\nexport const other = () => "other";\nexport function dispose() { closed.push("pool"); }\n');
  await writeFile(join(dir, "broken.mjs"), "export default () => {\n");
  await writeFile(join(dir, "throws.mjs"), 'throw new Error("no database");\n');
  await writeFile(join(dir, "hangs.mjs"), "await new Promise(() => {});\nexport default () => null;\n");
  await writeFile(join(dir, "slow.mjs"), "await new Promise((r) => setTimeout(r, 50));\nexport default () => \"slow\";\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ref(spec: string, line = 3): HandlerRef {
  const [file = "", exportName = "default"] = spec.split("#");
  return { file: join(dir, file), exportName, spec: `./${spec}`, at: { path: "webhooks[0].routes[0].handler", line, col: 19 } };
}

describe("loadHandlers", () => {
  it("loads default and named exports, importing a shared file once", async () => {
    const refs = [ref("hello.mjs"), ref("hello.mjs#bye")];
    let imports = 0;
    const loaded = await loadHandlers(refs, (file) => (imports++, importModule(file)));
    expect(loaded.issues).toEqual([]);
    expect(imports).toBe(1);
    expect(loaded.handlers.get(handlerKey(refs[0]!))?.({} as never, {} as never)).toBe("hello");
    expect(loaded.handlers.get(handlerKey(refs[1]!))?.({} as never, {} as never)).toBe("bye");
  });

  it("collects a module's dispose export once, however many routes name the module", async () => {
    const refs = [ref("pooled.mjs"), ref("pooled.mjs#other"), ref("hello.mjs")];
    const loaded = await loadHandlers(refs, importModule);
    expect(loaded.issues).toEqual([]);
    expect(loaded.disposers.map((d) => d.spec)).toEqual(["./pooled.mjs"]);
    await loaded.disposers[0]?.dispose();
    const mod = (await import(join(dir, "pooled.mjs"))) as { closed: string[] };
    expect(mod.closed).toEqual(["pool"]);
  });

  it("names the exports it found when the named one is missing or not a function", async () => {
    const loaded = await loadHandlers([ref("hello.mjs#greet"), ref("hello.mjs#notAFunction", 5)], importModule);
    expect(loaded.issues).toEqual([
      { path: "webhooks[0].routes[0].handler", line: 3, col: 19, message: './hello.mjs#greet: no function exported as "greet" (found: bye, default)' },
      { path: "webhooks[0].routes[0].handler", line: 5, col: 19, message: './hello.mjs#notAFunction: no function exported as "notAFunction" (found: bye, default)' },
    ]);
  });

  it("reports a syntax error and a throwing module as issues with the config position", async () => {
    const loaded = await loadHandlers([ref("broken.mjs"), ref("throws.mjs", 7)], importModule);
    expect(loaded.handlers.size).toBe(0);
    expect(loaded.issues).toHaveLength(2);
    expect(loaded.issues[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^cannot import \.\/broken\.mjs: /) });
    expect(loaded.issues[1]).toMatchObject({ line: 7, message: "cannot import ./throws.mjs: no database" });
  });

  it("gives up on a module whose top-level await never settles, and still loads the others", async () => {
    const started = performance.now();
    const loaded = await loadHandlers([ref("hangs.mjs"), ref("slow.mjs")], importModule, { importTimeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(loaded.issues).toEqual([
      {
        path: "webhooks[0].routes[0].handler",
        line: 3,
        col: 19,
        message: "cannot import ./hangs.mjs: its import did not finish within 0.3 s (a top-level await that never settles?)",
      },
    ]);
    expect(loaded.handlers.get(handlerKey(ref("slow.mjs")))?.({} as never, {} as never)).toBe("slow");
  });
});
