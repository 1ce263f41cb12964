/**
 * @module Minimal loopback HTTP client for readiness polls, answer checks and reload probes:
 * one fresh connection per request (no keep-alive, so a poll never rides a stale socket).
 */
import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";

/**
 * @param {string} url only http://127.0.0.1 URLs are used by the bench
 * @param {{ method?: string, body?: string, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, text: string }>} rejects on connection errors
 */
export function send(url, { method = "POST", body, headers = {}, timeoutMs = 2000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Send until `accept(answer)` holds or `deadlineMs` passes; connection refusals are retried at
 * once (a tight loop, so cold start is measured to within about a millisecond). With
 * `failOnAnswer` a wrong HTTP answer fails at once instead of being retried.
 * @returns {Promise<{ answer: { status: number, text: string }, ms: number }>} ms since `startedAt`
 */
export async function pollUntil(url, options, accept, { startedAt = performance.now(), deadlineMs = 10_000, gapMs = 1, isAlive = () => true, failOnAnswer = false } = {}) {
  let last = "no answer";
  while (performance.now() - startedAt < deadlineMs) {
    if (!isAlive()) throw new Error(`server exited while waiting (${last})`);
    try {
      const answer = await send(url, options);
      if (accept(answer)) return { answer, ms: performance.now() - startedAt };
      last = `status ${answer.status}: ${answer.text.slice(0, 200)}`;
      if (failOnAnswer) break;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (gapMs > 0) await sleep(gapMs);
  }
  throw new Error(failOnAnswer && last.startsWith("status") ? `wrong answer: ${last}` : `no accepted answer within ${deadlineMs} ms (last: ${last})`);
}
