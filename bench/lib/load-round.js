/**
 * @module One load round with autocannon's programmatic API against 127.0.0.1, sampling the
 * server's peak RSS meanwhile and counting the CPU it used per answered request. A round with
 * errors, timeouts or non-2xx answers is flagged, because its rate would not be comparable.
 * @see https://github.com/mcollina/autocannon#api
 */
import autocannon from "autocannon";
import { cpuSeconds } from "./cpu-time.js";
import { samplePeakRss } from "./rss.js";

/**
 * @param {{ url: string, body: string, headers: Record<string, string>, pid: number, connections: number, duration: number }} options
 * @returns {Promise<{ rps: number, p50: number, p99: number, rssMb: number, cpuUs: number | undefined, requests: number, bad: number }>}
 */
export async function loadRound({ url, body, headers, pid, connections, duration }) {
  if (!url.startsWith("http://127.0.0.1:")) throw new Error(`refusing to load a non-loopback URL: ${url}`);
  const rss = samplePeakRss(pid);
  const cpuBefore = cpuSeconds(pid);
  let result;
  let peak = 0;
  try {
    result = await autocannon({
      url,
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      connections,
      duration,
      pipelining: 1,
      timeout: 10,
    });
  } finally {
    peak = rss.stop();
  }
  const cpuAfter = cpuSeconds(pid);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rssMb: peak,
    // µs of server CPU per request (undefined without /proc).
    cpuUs: cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0 ? undefined : ((cpuAfter - cpuBefore) / result.requests.total) * 1e6,
    requests: result.requests.total,
    bad: result.errors + result.timeouts + result.non2xx,
  };
}
