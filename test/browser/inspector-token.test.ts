/**
 * The inspector page with a token, in real headless Chromium: it asks for the token once, gets
 * an HttpOnly cookie (no script can read it, no URL carries it), and before replaying a turn
 * that was refused for its credentials it asks, then marks the replay as carrying the server's own.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const TOKEN = "page-token-2b7d";
const dir = mkdtempSync(join(tmpdir(), "whs-inspector-token-"));
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  writeFileSync(join(dir, "config.yaml"), 'webhooks:\n  - path: /k\n    platform: generic\n    auth: { apiKey: { header: x-key, value: right-key-6a0e } }\n    routes:\n      - { event: hi, reply: { text: "inside" } }\n');
  server = await spawnServer([join(dir, "config.yaml"), "--inspect"], { env: { WEBHOOK_SERVE_INSPECT_TOKEN: TOKEN } });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the inspector page with a token", () => {
  it("asks once, keeps it in an HttpOnly cookie, and asks before replaying a turn refused for its credentials", async () => {
    expect((await post(`${server.url}/k`, { type: "hi" }, { "x-key": "wrong-key-1111" })).status).toBe(401);
    const page = await browser.newPage();
    await page.goto(`${server.url}/_inspect/`);
    await page.locator("#state", { hasText: "token needed" }).waitFor();
    await page.locator("#token").fill(TOKEN);
    await page.getByRole("button", { name: "Open" }).click();
    await page.locator("#state", { hasText: "live" }).waitFor();
    expect(page.url()).toBe(`${server.url}/_inspect/`);
    expect(await page.evaluate("document.cookie")).toBe("");

    await page.locator("tr.turn").first().click();
    const asked = new Promise<string>((resolve) =>
      page.once("dialog", (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      }),
    );
    await page.getByRole("button", { name: "Replay" }).click();
    expect(await asked).toContain("was refused for its credentials");
    await page.locator("#note", { hasText: "this replay carried the server's own" }).waitFor();
    expect(await page.locator("#response").textContent()).toContain("inside");
    expect(await page.content()).not.toContain(TOKEN);
    await page.close();
  });
});
