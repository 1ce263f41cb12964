/**
 * The inspector with a browser as the attacker, in real headless Chromium: a page on another
 * origin (a second local server, and `evil.example` resolved to 127.0.0.1 by Chromium) tries
 * bodiless and text POSTs, a beacon, a preflighted fetch and framing the inspector; a rebound
 * name loads the inspector itself. None may replay a turn or show one. And "Copy as curl" on a
 * turn holding shell syntax is run in `sh` (with a `curl` that prints its arguments): nothing runs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const dir = mkdtempSync(join(tmpdir(), "whs-inspector-attacks-"));
let server: RunningServer;
let attacker: Server;
let attackerPort = 0;
let browser: Browser;

/** What another site's page tries; it reports each attempt's end in the title. */
const attackPage = (target: string) => `<!doctype html><title>attacking</title>
<iframe name="victim" src="${target}/_inspect/"></iframe>
<script>
const replay = "${target}/_inspect/api/turns/1/replay";
const tries = [
  fetch(replay, { method: "POST", mode: "no-cors" }),
  fetch(replay, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: "{}" }),
  fetch(replay, { method: "POST", headers: { "content-type": "application/json", "x-inspect-request": "1" }, body: "{}" }),
  fetch("${target}/_inspect/api/turns").then((r) => r.text()),
];
navigator.sendBeacon(replay, "{}");
Promise.allSettled(tries).then((results) => { document.title = "done " + JSON.stringify(results.map((r) => r.status + ":" + (r.value?.slice?.(0, 40) ?? ""))); });
</script>`;

beforeAll(async () => {
  writeFileSync(join(dir, "config.yaml"), 'webhooks:\n  - path: /g\n    platform: generic\n    routes:\n      - { event: hi, reply: { text: "hello {{ params.name }}" } }\n');
  server = await spawnServer([join(dir, "config.yaml"), "--inspect"]);
  attacker = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(attackPage(server.url)));
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerPort = (attacker.address() as { port: number }).port;
  browser = await launchChromium(["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  attacker?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An access line for a refused replay (403; the preflight's OPTIONS has no route: 404). */
const REFUSED = /"url":"\/_inspect\/api\/turns\/1\/replay","ip":"[^"]*","status":40[34]/g;
const refusals = () => server.output().match(REFUSED)?.length ?? 0;
/** A pattern waitForOutput can wait on: `count` matches of `pattern`. */
const atLeast = (pattern: RegExp, count: number): RegExp =>
  Object.assign(new RegExp(pattern.source, "g"), { test: (text: string) => (text.match(pattern)?.length ?? 0) >= count });

const HOSTILE = `$(touch ${dir}/ran-dollar) \`touch ${dir}/ran-backtick\` it's "quoted" \\ $HOME`;

describe("the inspector against another site's page", () => {
  it("records a turn with shell syntax in it", async () => {
    expect((await post(`${server.url}/g`, { type: "hi", params: { name: HOSTILE } })).status).toBe(200);
  });

  for (const origin of ["127.0.0.1 on another port", "evil.example"]) {
    it(`from ${origin}: no replay, no turn read, no framing`, async () => {
      const page = await browser.newPage();
      const url = origin === "evil.example" ? `http://evil.example:${attackerPort}/` : `http://127.0.0.1:${attackerPort}/`;
      const before = refusals();
      await page.goto(url);
      await page.waitForFunction("document.title.startsWith(\"done\")");
      const results = JSON.parse((await page.title()).slice(5)) as string[];
      // The no-cors POSTs go out but are refused; the preflighted one and the read never get an answer the page may see.
      expect(results.slice(2)).toEqual(["rejected:", "rejected:"]);
      // Four attempts reach the server (two no-cors POSTs, the beacon, the preflight): each is refused.
      await server.waitForOutput(atLeast(REFUSED, before + 4));
      const { turns } = (await (await fetch(`${server.url}/_inspect/api/turns`)).json()) as { turns: { replayOf?: number }[] };
      expect(turns.filter((t) => t.replayOf !== undefined)).toEqual([]);
      // The framed inspector did not render (X-Frame-Options / frame-ancestors).
      const frame = page.frames().find((f) => f.name() === "victim");
      expect(await frame?.locator("#rows").count()).toBe(0);
      await page.close();
    });
  }

  it("is not served under a rebound name (DNS rebinding)", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.example:${new URL(server.url).port}/_inspect/`);
    expect(res?.status()).toBe(403);
    expect(await page.locator("#rows").count()).toBe(0);
    await page.close();
  });
});

describe("Copy as curl", () => {
  it("quotes for a POSIX shell: pasted into sh, nothing in the turn runs and curl gets it verbatim", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/_inspect/`);
    await page.locator("tr.turn").first().click();
    await page.getByRole("button", { name: "Copy as curl" }).click();
    const line = (await page.locator("#out").textContent()) as string;
    await page.close();
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "curl"), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(join(bin, "curl"), 0o755);
    const run = spawnSync("sh", ["-c", line], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, HOME: "/home-not-expanded" } });
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "ran-dollar"))).toBe(false);
    expect(existsSync(join(dir, "ran-backtick"))).toBe(false);
    const args = run.stdout.split("\n");
    expect(args.slice(0, 3)).toEqual(["-X", "POST", `${server.url}/g`]);
    expect(JSON.parse(args[args.indexOf("--data-binary") + 1] as string)).toEqual({ type: "hi", params: { name: HOSTILE } });
  });
});
