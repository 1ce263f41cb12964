/**
 * The Docker image, built from the working tree and run for real: a mounted /config with a
 * TypeScript and a JavaScript handler, the non-root user, the HEALTHCHECK, reload on HUP,
 * drain on `docker stop`, `-e PORT`, a read-only root filesystem, and the docs' derived-image
 * recipe. Needs a Docker daemon and a `node:22-slim` image (test/docker/build-base-image.sh
 * makes one where no registry is reached; `.ci/run` runs it). Host networking only: the
 * bridge network's addresses are never a target here. Outside CI, no daemon → not run, and says why.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO } from "../helpers/spawn-server.js";

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const daemon = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
const available = daemon.status === 0;
const inCi = process.env.CI === "true";
if (!available && !inCi) console.log(`test/docker: not run, no Docker daemon here (${(daemon.stderr || String(daemon.error)).trim().split("\n")[0]}); CI runs it`);

const IMAGE = "webhook-serve:test";
const CONFIG = (text: string) => `webhooks:
  - path: /hook
    platform: generic
    routes:
      - { event: ts, handler: ./handlers/hello.ts }
      - { event: js, handler: ./handlers/shout.mjs }
      - { event: slow, handler: ./handlers/shout.mjs#slow }
      - { event: static, reply: { text: "${text}" } }
`;
const dir = mkdtempSync(join(tmpdir(), "whs-image-"));
const containers: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function say(port: number, type: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/hook`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type }) });
  return ((await res.json()) as { text?: string }).text ?? `status ${res.status}`;
}

function run(name: string, port: number, extra: string[], image = IMAGE): void {
  containers.push(name);
  docker("run", "-d", "--name", name, "--network", "host", "-e", `PORT=${port}`, "--health-interval", "1s", "--health-start-period", "1s", ...extra, image);
}

const health = (name: string) => docker("inspect", "-f", "{{.State.Health.Status}}", name);
const logs = (name: string) => spawnSync("docker", ["logs", name], { encoding: "utf8" }).stdout + spawnSync("docker", ["logs", name], { encoding: "utf8" }).stderr;

beforeAll(() => {
  if (!available) return;
  // A project the `node` user (uid 1000) can read, as a user's bind mount would be.
  mkdirSync(join(dir, "bot/handlers"), { recursive: true });
  writeFileSync(join(dir, "bot/config.yaml"), CONFIG("static-v1"));
  writeFileSync(join(dir, "bot/handlers/hello.ts"), `export default (turn: { params: Record<string, unknown> }): { text: string } => ({ text: "hello from TypeScript" });\n`);
  writeFileSync(join(dir, "bot/handlers/shout.mjs"), `export default () => ({ text: "HELLO FROM JAVASCRIPT" });\nexport const slow = (_t, { log }) => { log.info("slow started"); return new Promise((r) => setTimeout(() => r({ text: "slow done" }), 1500)); };\n`);
  for (const path of [dir, join(dir, "bot"), join(dir, "bot/handlers")]) chmodSync(path, 0o755);
  const started = Date.now();
  docker("build", "--network", "host", "-q", "-t", IMAGE, REPO);
  const size = Number(docker("image", "inspect", "-f", "{{.Size}}", IMAGE));
  const base = Number(docker("image", "inspect", "-f", "{{.Size}}", "node:22-slim"));
  console.log(`test/docker: built ${IMAGE} in ${((Date.now() - started) / 1000).toFixed(1)} s; ${(size / 1e6).toFixed(1)} MB, ${((size - base) / 1e6).toFixed(1)} MB over node:22-slim`);
}, 300_000);

afterAll(() => {
  for (const name of containers) spawnSync("docker", ["rm", "-f", name]);
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(available || inCi)("the Docker image", () => {
  it("serves a mounted config as uid 1000 on $PORT, read-only, healthy, reloads on HUP and drains on stop", async () => {
    const port = await freePort();
    const name = `whs-test-${process.pid}`;
    run(name, port, ["--read-only", "--tmpfs", "/tmp", "-v", `${join(dir, "bot")}:/config:ro`]);
    // The HEALTHCHECK reads PORT too: healthy means both moved.
    await vi.waitFor(() => expect(health(name)).toBe("healthy"), { timeout: 60_000, interval: 500 });
    console.log("test/docker: healthy on -e PORT, --read-only with a tmpfs on /tmp");
    expect(await say(port, "ts")).toBe("hello from TypeScript");
    expect(await say(port, "js")).toBe("HELLO FROM JAVASCRIPT");
    expect(docker("exec", name, "id", "-u")).toBe("1000");
    console.log("test/docker: answered from a .ts and a .mjs handler; id -u = 1000");

    writeFileSync(join(dir, "bot/config.yaml"), CONFIG("static-v2"));
    docker("kill", "-s", "HUP", name);
    await vi.waitFor(() => expect(logs(name)).toContain("reloaded in"), { timeout: 15_000, interval: 200 });
    expect(await say(port, "static")).toBe("static-v2");
    console.log("test/docker: docker kill -s HUP reloaded the edited config");

    const inFlight = say(port, "slow");
    await vi.waitFor(() => expect(logs(name)).toContain("slow started"), { timeout: 10_000, interval: 50 });
    docker("stop", "-t", "15", name);
    expect(await inFlight).toBe("slow done");
    expect(docker("inspect", "-f", "{{.State.ExitCode}}", name)).toBe("0");
    console.log("test/docker: docker stop drained the in-flight request and exited 0");
  }, 120_000);

  it("builds and runs the docs' derived image, whose handler imports an npm package", async () => {
    const recipe = /```dockerfile\n([\s\S]*?)\n\s*```/
      .exec(readFileSync(join(REPO, "docs/deploying.md"), "utf8"))?.[1]
      ?.split("\n")
      .map((line) => line.replace(/^ {2}/, ""))
      .join("\n");
    expect(recipe).toBeDefined();
    const project = join(dir, "derived");
    cpSync(join(dir, "bot"), project, { recursive: true });
    writeFileSync(join(project, "config.yaml"), CONFIG("static").replace("./handlers/shout.mjs", "./handlers/number.mjs"));
    writeFileSync(join(project, "handlers/number.mjs"), `import isNumber from "is-number";\nexport default () => ({ text: "is-number says " + isNumber("42") });\nexport const slow = () => ({ text: "n/a" });\n`);
    // As `init` writes it: webhook-serve among the dependencies, which the recipe drops.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "bot", private: true, type: "module", dependencies: { "webhook-serve": "^0.1.0", "is-number": "^7.0.0" } }, null, 2));
    writeFileSync(join(project, ".dockerignore"), "node_modules\n");
    writeFileSync(join(project, "Dockerfile"), (recipe as string).replace(/^FROM webhook-serve$/m, `FROM ${IMAGE}`));
    docker("build", "--network", "host", "-q", "-t", "webhook-serve-derived:test", project);
    const installed = docker("run", "--rm", "--entrypoint", "sh", "webhook-serve-derived:test", "-c", "ls /config/node_modules");
    expect(installed.split("\n")).toContain("is-number");
    expect(installed.split("\n")).not.toContain("webhook-serve");
    const port = await freePort();
    const name = `whs-derived-${process.pid}`;
    run(name, port, [], "webhook-serve-derived:test");
    await vi.waitFor(() => expect(health(name)).toBe("healthy"), { timeout: 60_000, interval: 500 });
    expect(await say(port, "js")).toBe("is-number says true");
    console.log("test/docker: the derived image installed its handler's package (not a second webhook-serve) and answered");
  }, 180_000);
});
