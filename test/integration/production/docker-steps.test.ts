/**
 * The Dockerfile's steps without Docker (no engine on CI machines): pack the repo, install
 * the tarball the way the runtime stage does (`npm ci --omit=dev` of the packed files and
 * the lockfile), put config.example.yaml and handlers/ in a `/config`-like folder, run the
 * image's ENTRYPOINT + CMD (loopback and a free port instead of 0.0.0.0:8080), check
 * /healthz with the image's HEALTHCHECK command, answer an API.AI request, then SIGTERM → 0.
 * Needs the registry for the production dependencies; takes 20-60 s (mostly npm ci).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, post } from "../../helpers/spawn-server.js";

const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "whs-docker-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The JSON-array form of a Dockerfile instruction. */
function instruction(name: string): string[] {
  const match = new RegExp(`^${name}\\s+(\\[.*\\])\\s*$`, "m").exec(dockerfile.replace(/\\\n\s*/g, ""));
  if (!match) throw new Error(`Dockerfile has no ${name} in JSON form`);
  return JSON.parse(match[1]!) as string[];
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
}

describe("Dockerfile steps", () => {
  it("uses an official Node LTS slim image, a non-root user, port 8080 and a /healthz check", () => {
    expect(dockerfile).toMatch(/^FROM node:(20|22|24)-slim AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:(20|22|24)-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(instruction("ENTRYPOINT")).toEqual(["webhook-serve"]);
    expect(instruction("CMD")).toEqual(["/config/config.yaml", "--host", "0.0.0.0"]);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production PORT=8080$/m);
    expect(instruction("HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3\\s+CMD").join(" ")).toMatch(/\/healthz/);
  });

  it("installs the packed tarball with production dependencies and serves the example config", { timeout: 180_000 }, async () => {
    expect(existsSync(join(REPO, "dist/cli/main.js")), "run `npm run build` first").toBe(true);
    // Build stage: npm pack (the build already ran).
    const pkgDir = join(tmp, "pkg");
    mkdirSync(pkgDir);
    run("npm", ["pack", "--ignore-scripts", "--pack-destination", pkgDir], REPO);
    const tarball = readdirSync(pkgDir).find((f) => /^webhook-serve-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();

    // The published manifest runs nothing at install time (npm 11 warns about such scripts).
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts[hook]).toBeUndefined();

    // Runtime stage: unpack, add the lockfile, npm ci --omit=dev.
    const app = join(tmp, "app");
    mkdirSync(app);
    run("tar", ["-xzf", join(pkgDir, tarball!), "--strip-components=1", "-C", app], tmp);
    cpSync(join(REPO, "package-lock.json"), join(app, "package-lock.json"));
    run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], app);
    expect(existsSync(join(app, "node_modules/fastify"))).toBe(true);
    expect(existsSync(join(app, "node_modules/typescript"))).toBe(false);
    expect(existsSync(join(app, "src"))).toBe(false);

    // The image's root package.json (`{ "type": "module" }` above /config), then the mounted
    // /config folder: the example config and its handlers.
    const rootPackage = /echo '(\{ "type": "module" \})' > \/package\.json/.exec(dockerfile);
    expect(rootPackage).not.toBeNull();
    writeFileSync(join(tmp, "package.json"), rootPackage![1]!);
    const config = join(tmp, "config");
    mkdirSync(config);
    cpSync(join(REPO, "config.example.yaml"), join(config, "config.yaml"));
    cpSync(join(REPO, "handlers"), join(config, "handlers"), { recursive: true });

    // ENTRYPOINT + CMD, with the config path mapped and loopback instead of 0.0.0.0; the
    // image's PORT=8080 becomes a free port (PORT=0), as `docker run -e PORT=…` would.
    const args = instruction("CMD").map((a) => (a === "/config/config.yaml" ? join(config, "config.yaml") : a === "0.0.0.0" ? "127.0.0.1" : a));
    const server = await start(join(app, "bin/webhook-serve.js"), args, config);
    try {
      const port = new URL(server.url).port;
      // The image's HEALTHCHECK command, with the image's environment (PORT) pointed at our port.
      const health = instruction("HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3\\s+CMD");
      expect(health[0]).toBe("node");
      expect(() => execFileSync(process.execPath, health.slice(1), { timeout: 5000, env: { ...process.env, PORT: port } })).not.toThrow();
      expect(() => execFileSync(process.execPath, health.slice(1), { timeout: 5000, env: { ...process.env, PORT: "1" } })).toThrow();

      const res = await post(`${server.url}/apiai`, { id: "d1", result: { action: "weather.lookup", parameters: { city: "Rome" } } }, { "api-key": "change-me" });
      expect(res.status).toBe(200);
      expect((res.body as { speech?: string }).speech).toBe("It is sunny in Rome.");
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
  });
});

interface Installed {
  url: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the installed bin (not the repo's) and waits for its listening line. */
async function start(bin: string, args: string[], cwd: string): Promise<Installed> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NODE_ENV: "production", PORT: "0" } });
  let text = "";
  child.stdout.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr.on("data", (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${text}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/[^\s"]+)/.exec(text);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${text}`));
    });
  });
  return {
    url,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
