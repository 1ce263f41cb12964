/**
 * `webhook-serve init`: the written project validates, its own test passes with the testing
 * helper (repo linked as node_modules/webhook-serve; dist must be built), and a second init
 * refuses to overwrite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/spawn-server.js";

const dir = mkdtempSync(join(tmpdir(), "whs-init-"));
const project = join(dir, "my-bot");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `npm install` would put in node_modules, linked from this repo (the package is built). */
function linkInstall(dir: string): void {
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules/webhook-serve"), "dir");
  for (const name of ["vitest", "@types"]) symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name), "dir");
}

/** The written `typecheck` script: tsc over the written tsconfig.json. */
function typecheck(dir: string): void {
  const tsc = spawnSync(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8", timeout: 30_000 });
  expect(tsc.status, tsc.stdout).toBe(0);
}

describe("webhook-serve init", () => {
  it("writes a project whose config validates and whose own test passes", async () => {
    const res = await runCli(["init", project]);
    expect(res.code, res.stderr).toBe(0);
    for (const file of ["config.yaml", "handlers/hello.ts", "test/hello.test.mts", "package.json"]) {
      expect(existsSync(join(project, file)), file).toBe(true);
      expect(res.stdout).toContain(`created ${file}`);
    }
    expect(res.stdout).toContain("--watch");
    expect(readFileSync(join(project, "config.yaml"), "utf8")).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/webhook-serve\/schema\/config\.schema\.json/);
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8"))).toMatchObject({ name: "my-bot", type: "module" });

    // Basic auth from the environment: without the password the config says so; with the
    // generated .env.example (as `cp .env.example .env`) it validates.
    const noPassword = await runCli(["validate", join(project, "config.yaml")]);
    expect(noPassword.stderr).toContain("BOT_PASSWORD is not set");
    const envExample = readFileSync(join(project, ".env.example"), "utf8");
    expect(envExample).toMatch(/^BOT_PASSWORD=[\w-]{24}$/m);
    writeFileSync(join(project, ".env"), envExample);
    expect((await runCli(["validate", join(project, "config.yaml"), "--env-file", join(project, ".env")])).code).toBe(0);
    expect(readFileSync(join(project, ".gitignore"), "utf8")).toContain(".env");

    linkInstall(project);
    typecheck(project);
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).scripts.typecheck).toBe("tsc --noEmit");
    const vitest = spawnSync(process.execPath, [join(REPO, "node_modules/vitest/vitest.mjs"), "run", "--root", project], {
      cwd: project,
      encoding: "utf8",
      timeout: 15_000,
      env: { ...process.env, CI: "1", FORCE_COLOR: "0" },
    });
    expect(vitest.status, `${vitest.stdout}\n${vitest.stderr}`).toBe(0);
    expect(vitest.stdout).toMatch(/2 passed/);
  }, 60_000);

  it("refuses to overwrite and names the files", async () => {
    const res = await runCli(["init", project]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("refusing to overwrite config.yaml, handlers/hello.ts, test/hello.test.mts");
  });

  it("keeps an existing package.json", { timeout: 60_000 }, async () => {
    const other = join(dir, "existing");
    mkdirSync(other);
    writeFileSync(join(other, "package.json"), "{}\n");
    const res = await runCli(["init", other]);
    expect(res.code).toBe(0);
    expect(readFileSync(join(other, "package.json"), "utf8")).toBe("{}\n");
    expect(res.stdout).toContain("kept your package.json");
    // The next steps say to install what the kept package.json lacks.
    expect(res.stdout).toMatch(/npm install webhook-serve@\^\d+\.\d+\.\d+ && npm install -D vitest typescript @types\/node/);
    // A kept CommonJS package.json still typechecks (the test is .mts, TypeScript models require(esm)).
    linkInstall(other);
    typecheck(other);
  });
});
