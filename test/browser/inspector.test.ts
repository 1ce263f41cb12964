/**
 * The live inspector in a real browser: headless Chromium (Debian's `chromium`, which
 * `.ci/run` installs) driven by playwright-core loads /_inspect/ from a `--watch` server, sees
 * a posted turn appear live, opens it, replays it after a handler edit and sees the changed
 * field marked. WEBHOOK_SERVE_SCREENSHOTS=1 also writes the README's screenshots.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, REPO, spawnServer, type RunningServer } from "../helpers/spawn-server.js";

const dir = mkdtempSync(join(tmpdir(), "whs-inspector-"));
const SHOTS = process.env.WEBHOOK_SERVE_SCREENSHOTS === "1" ? join(REPO, "docs/images") : join(dir, "shots");
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(join(dir, "handlers"));
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
  writeFileSync(join(dir, "config.yaml"), "webhooks:\n  - path: /dialogflow\n    platform: dialogflow\n    routes:\n      - { intent: weather, handler: ./handlers/weather.ts }\n");
  writeFileSync(
    join(dir, "handlers/weather.ts"),
    'export default (turn: { params: Record<string, unknown> }, { log }: { log: { info(o: unknown, m?: string): void } }) => {\n  log.info({ city: turn.params.city }, "looking up the weather");\n  return { text: `It is sunny in ${String(turn.params.city)}.` };\n};\n',
  );
  server = await spawnServer([join(dir, "config.yaml"), "--watch"]);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const esTurn = (city: string) => ({
  responseId: `r-${city}`,
  session: "projects/p/agent/sessions/s1",
  queryResult: { queryText: `weather in ${city}`, parameters: { city }, intent: { displayName: "weather" }, languageCode: "en" },
});

describe("the inspector page", () => {
  it("shows a turn live, opens it, and replays it after a handler edit with the change marked", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(`${server.url}/_inspect/`);
    await page.locator("#state", { hasText: "live" }).waitFor();

    expect((await post(`${server.url}/dialogflow`, esTurn("Rome"))).status).toBe(200);
    const row = page.locator("tr.turn").first();
    await row.waitFor();
    expect(await row.textContent()).toContain("intent=weather");

    // Keyboard: focus the row and open it with Enter.
    await row.focus();
    await page.keyboard.press("Enter");
    await page.locator("#response", { hasText: "It is sunny in Rome." }).waitFor();
    // The handler's own log line for this request, and where the time went.
    expect(await page.locator("#logs").textContent()).toBe('info looking up the weather {"city":"Rome"}');
    expect(await page.locator("#timing").textContent()).toMatch(/^checks [\d.]+ ms · handler [\d.]+ ms · reply [\d.]+ ms · whole request [\d.]+ ms$/);
    await page.screenshot({ path: join(SHOTS, "inspector.png") });

    writeFileSync(join(dir, "handlers/weather.ts"), 'export default (turn: { params: Record<string, unknown> }) => ({ text: `Rain in ${String(turn.params.city)} today.` });\n');
    await server.waitForOutput("reloaded in", 10_000);
    await page.getByRole("button", { name: "Replay" }).click();
    await page.locator("#changed", { hasText: "fulfillmentText" }).waitFor();
    expect(await page.locator("#before").textContent()).toContain("It is sunny in Rome.");
    expect(await page.locator("#after").textContent()).toContain("Rain in Rome today.");
    expect(await page.locator("#after mark").count()).toBeGreaterThan(0);
    expect(await page.locator("tr.turn").count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, "inspector-replay.png") });

    // Edit the request body, then replay it: the new city reaches the handler.
    await page.locator("#body").fill(JSON.stringify(esTurn("Oslo")));
    await page.getByRole("button", { name: "Replay" }).click();
    await page.locator("#after", { hasText: "Rain in Oslo today." }).waitFor();

    await page.getByRole("button", { name: "Save as conversation test" }).click();
    expect(await page.locator("#out").textContent()).toContain('intent: "weather"');
    await page.close();
  }, 60_000);

  it("reads in dark mode too", async () => {
    const page = await browser.newPage({ colorScheme: "dark", viewport: { width: 1400, height: 600 } });
    await page.goto(`${server.url}/_inspect/`);
    await page.locator("tr.turn").first().waitFor();
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgb(13, 17, 23)");
    await page.close();
  });
});
