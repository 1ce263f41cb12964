/**
 * @module Hot reload (issue 4): start `webhook-serve --watch`, rewrite a TS handler, and time
 * file write → first response carrying the new text (median over `edits`); then `reloads`
 * more reloads with the server's RSS read before and after. Traffic first brings the heap to
 * its serving size (V8 grows the young generation under load), so the growth measured is what
 * reloads keep, not the working set of the requests that check them. RSS swings by ±10 MB with
 * V8's collection cycle (a sawtooth of 100–200 reloads), so RSS is sampled every 10 reloads and
 * the growth over `reloads` is the median of the samples in reloads N+10..N+100 minus the median
 * of reloads 10..100 (N = `reloads`; N + 100 reloads in all): each window spans much of a cycle,
 * so a leak still shows and the phase the run ends in does not decide it. Whether `--watch`
 * works is detected at run time: a first edit that is never served means the section is skipped.
 */
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { handlerSource } from "./configs.js";
import { freePort } from "./free-port.js";
import { pollUntil, send } from "./http-client.js";
import { rssMb } from "./rss.js";
import { CLI, spawnNode } from "./spawn-server.js";
import { median } from "./stats.js";

const DETECT_MS = 5000;
/** Reloads per RSS window (see the module comment). */
const WINDOW = 100;
const defaultArgs = (configPath, port) => [CLI, configPath, "--port", String(port), "--log-level", "warn", "--watch"];

/**
 * @param {{ configPath: string, handlerPath: string, request: (port: number) => { url: string, options: object }, edits: number, reloads: number, argsFor?: (configPath: string, port: number) => string[] }} spec
 * @returns {Promise<{ skipped: string } | { medianMs: number, editsMs: number[], reloads: number, rssStartMb: number, rssBeforeMb: number, rssAfterMb: number, growthMb: number, rssTrendMb: number[] }>}
 */
export async function measureReload({ configPath, handlerPath, request, edits, reloads, argsFor = defaultArgs }) {
  const port = await freePort();
  const { url, options } = request(port);
  writeFileSync(handlerPath, handlerSource("ts", "version 0"));
  const server = spawnNode(argsFor(configPath, port));
  let version = 0;
  const servedText = (text) => (answer) => answer.status === 200 && answer.text.includes(`"${text}"`);
  /** Write the next version and wait for it to be served; resolves to the ms it took. */
  const edit = async (deadlineMs) => {
    version++;
    const text = `version ${version}`;
    const startedAt = performance.now();
    writeFileSync(handlerPath, handlerSource("ts", text));
    const { ms } = await pollUntil(url, options, servedText(text), { startedAt, deadlineMs, gapMs: 2, isAlive: server.alive });
    return ms;
  };
  try {
    try {
      await pollUntil(url, options, servedText("version 0"), { deadlineMs: 15_000, gapMs: 5, isAlive: server.alive });
    } catch (error) {
      return { skipped: `--watch not available (server did not start with --watch: ${firstLine(server.stderr()) || (error instanceof Error ? error.message : String(error))})` };
    }
    const rssStartMb = rssMb(server.pid) ?? Number.NaN;
    try {
      await sleep(300); // let a watcher that starts after "listening" attach first
      await edit(DETECT_MS);
    } catch {
      return { skipped: `--watch not available (an edited handler was not served within ${DETECT_MS / 1000} s)` };
    }
    const editsMs = [];
    for (let i = 0; i < edits; i++) {
      await sleep(50); // an editor does not save twice in one millisecond
      editsMs.push(await edit(DETECT_MS));
    }
    await warmUp(url, options);
    await sleep(500);
    const rssBeforeMb = rssMb(server.pid) ?? Number.NaN;
    // RSS every 10 reloads: a leak climbs steadily, a heap settling into its size levels off.
    const samples = [];
    for (let i = 1; i <= reloads + WINDOW; i++) {
      await sleep(10);
      await edit(DETECT_MS);
      if (i % 10 === 0) samples.push(rssMb(server.pid) ?? Number.NaN);
    }
    await sleep(1000);
    const rssAfterMb = rssMb(server.pid) ?? Number.NaN;
    const rssTrendMb = [rssBeforeMb, ...samples.filter((_, n) => (n + 1) % 5 === 0)];
    const perWindow = WINDOW / 10;
    const growthMb = median(samples.slice(-perWindow)) - median(samples.slice(0, perWindow));
    return { medianMs: median(editsMs), editsMs, reloads, rssStartMb, rssBeforeMb, rssAfterMb, growthMb, rssTrendMb };
  } finally {
    await server.stop();
  }
}

/** 4,000 requests, 16 at a time: the server's heap reaches the size it keeps while serving. */
async function warmUp(url, options) {
  let left = 4000;
  const worker = async () => {
    while (left-- > 0) await send(url, options);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function firstLine(text) {
  return text.trim().split("\n")[0] ?? "";
}
