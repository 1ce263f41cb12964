/**
 * @module The cost of the 10 `when` filters, measured in-process on the built router (same
 * configs and request as the HTTP rounds): ns per parse + match with and without them (a
 * fresh JSON.parse'd body each time, as a server sees it), alternating, median of 7 runs.
 * A 2 % difference drowns in ±15 % HTTP noise; this does not.
 */
import { loadBenchWebhook } from "./load-webhook.js";
import { median } from "./stats.js";

/**
 * @param {{ plain: string, filtered: string, body: string }} spec config paths and the request body
 * @returns {Promise<{ plainNs: number, filteredNs: number, extraNs: number }>}
 */
export async function measureFilterCost({ plain, filtered, body }) {
  const matchers = [];
  for (const file of [plain, filtered]) {
    const { webhook } = await loadBenchWebhook(file);
    const { adapter } = webhook.adapters[0];
    const match = () => webhook.router.match(adapter.parse(JSON.parse(body), {}));
    if (match() < 0) throw new Error(`bench request matches no route in ${file}`);
    matchers.push(match);
  }
  const runs = [[], []];
  const n = 20_000;
  for (let r = 0; r < 7; r++) {
    matchers.forEach((match, i) => {
      let sink = 0;
      const started = process.hrtime.bigint();
      for (let k = 0; k < n; k++) sink += match();
      runs[i].push(Number(process.hrtime.bigint() - started) / n + (sink < 0 ? 1 : 0));
    });
  }
  const plainNs = median(runs[0]);
  const filteredNs = median(runs[1]);
  return { plainNs, filteredNs, extraNs: filteredNs - plainNs };
}
