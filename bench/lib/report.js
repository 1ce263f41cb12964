/**
 * @module The bench's verdicts and tables: every target (throughput ratios against the
 * hand-written webhooks, latency, memory, cold start, reload) with PASS/MISS, and the
 * plain-text tables printed at the end.
 */

/**
 * @typedef {{ rps: number, p50: number, p99: number, rssMb: number, cpuUs?: number, steadyRssMb?: number, steadySeconds?: number }} Throughput
 * @typedef {{ id: string, label: string, value: number | undefined, unit: string, op: ">=" | "<=", goal: number, pass?: boolean, note?: string }} Verdict
 */

/**
 * @param {Record<string, Throughput>} t throughput by server key
 * @param {{ js?: number, ts?: number, fastify?: number }} cold medians in ms
 * @param {{ medianMs?: number, growthMb?: number, reloads?: number, skipped?: string } | undefined} reload
 * @param {{ extraNs: number } | undefined} filters in-process router cost of the 10 filters
 * @param {{ routes: number, startMs: number, rssMb: number }[] | undefined} scaling start-up and RSS by route count
 * @param {Record<string, number> | undefined} instructions callgrind instructions per request by server key
 * @returns {Verdict[]}
 */
export function verdicts(t, cold, reload, filters, scaling, instructions) {
  const ratio = (a, b) => (t[a] && t[b] ? t[a].rps / t[b].rps : undefined);
  // CPU per request (steadier than req/s on a shared host), as a speed ratio: theirs ÷ ours.
  const cpuRatio = (a, b) => (t[a]?.cpuUs && t[b]?.cpuUs ? t[b].cpuUs / t[a].cpuUs : undefined);
  const insnRatio = (a, b) => (instructions?.[a] && instructions?.[b] ? instructions[b] / instructions[a] : undefined);
  const minus = (a, b) => (a !== undefined && b !== undefined ? a - b : undefined);
  const at = (routes) => scaling?.find((s) => s.routes === routes);
  const list = [
    { id: "vsFastify", label: "1,000 routes (static reply), warn ÷ hand-written bare Fastify (goal 0.95×)", value: ratio("ws1000warn", "fastify"), unit: "×", op: ">=", goal: 0.92 },
    { id: "cpuVsFastify", label: "the same by server CPU per request (bare Fastify's ÷ ours)", value: cpuRatio("ws1000warn", "fastify"), unit: "×", op: ">=", goal: 0.92 },
    { id: "insnVsFastify", label: "the same by callgrind instructions per request", value: insnRatio("ws1000warn", "fastify"), unit: "×", op: ">=", goal: 0.92, note: instructions ? undefined : "no valgrind" },
    { id: "vsNodeHttp", label: "1,000 routes, warn ÷ hand-written bare node:http", value: ratio("ws1000warn", "nodeHttp"), unit: "×", op: ">=", goal: 0.7 },
    { id: "infoVsFastify", label: "1,000 routes, info (access log) ÷ hand-written bare Fastify", value: ratio("ws1000info", "fastify"), unit: "×", op: ">=", goal: 0.88 },
    { id: "vsExpress", label: "1,000 routes, warn ÷ express + dialogflow-fulfillment", value: ratio("ws1000warn", "express"), unit: "×", op: ">=", goal: 5 },
    { id: "routeScaling", label: "1,000 routes ÷ 10 routes", value: ratio("ws1000warn", "ws10warn"), unit: "×", op: ">=", goal: 0.95 },
    {
      // The filters' router time as a share of one request's time at the measured rate.
      id: "whenCostRouter",
      label: "cost of 10 `when` filters (router ns ÷ request ns)",
      value: filters && t.ws1000warn ? (filters.extraNs / (1e9 / t.ws1000warn.rps)) * 100 : undefined,
      unit: "%",
      op: "<=",
      goal: 5,
    },
    {
      id: "whenCost",
      label: "cost of 10 `when` filters (HTTP rounds, ±15 % noise)",
      value: ratio("ws1000when", "ws1000warn") === undefined ? undefined : (1 - ratio("ws1000when", "ws1000warn")) * 100,
      unit: "%",
      op: "<=",
      goal: 5,
    },
    { id: "p99", label: "p99 latency, 1,000 routes, warn, minus bare Fastify's", value: minus(t.ws1000warn?.p99, t.fastify?.p99), unit: "ms", op: "<=", goal: 1 },
    { id: "p99Info", label: "p99 latency, 1,000 routes, info, minus bare Fastify's", value: minus(t.ws1000info?.p99, t.fastify?.p99), unit: "ms", op: "<=", goal: 1 },
    { id: "handlerVsFastify", label: "JS handler route, warn ÷ hand-written bare Fastify", value: ratio("wsHandler", "fastify"), unit: "×", op: ">=", goal: 0.88 },
    { id: "handlerInsn", label: "the same by callgrind instructions per request", value: insnRatio("wsHandler", "fastify"), unit: "×", op: ">=", goal: 0.88, note: instructions ? undefined : "no valgrind" },
    {
      id: "startScaling",
      label: "start-up, 10,000 routes (a when filter and a template each) ÷ 10 routes",
      value: at(10000) && at(10) ? at(10000).startMs / at(10).startMs : undefined,
      unit: "×",
      op: "<=",
      goal: 3,
    },
    {
      id: "rssPerRoute",
      label: "RSS per route, 10,000 routes over 10",
      value: at(10000) && at(10) ? ((at(10000).rssMb - at(10).rssMb) * 1024) / (10000 - 10) : undefined,
      unit: "KB",
      op: "<=",
      goal: 2,
    },
    // Absolute start times follow the host: each is compared with bare Fastify's in the same run.
    { id: "coldJs", label: "cold start, JS handler, minus bare Fastify's (medians)", value: minus(cold.js, cold.fastify), unit: "ms", op: "<=", goal: 100 },
    { id: "coldTs", label: "cold start, TS handler, minus bare Fastify's (medians)", value: minus(cold.ts, cold.fastify), unit: "ms", op: "<=", goal: 250 },
    { id: "rss", label: "peak RSS under load, 1,000 routes, minus bare Fastify's", value: t.ws1000warn && t.fastify ? t.ws1000warn.rssMb - t.fastify.rssMb : undefined, unit: "MB", op: "<=", goal: 15 },
    {
      id: "rssSteady",
      label: `the same after ${t.ws1000warn?.steadySeconds ?? 0} s more of continuous load (both young generations grown)`,
      value: t.ws1000warn?.steadyRssMb !== undefined && t.fastify?.steadyRssMb !== undefined ? t.ws1000warn.steadyRssMb - t.fastify.steadyRssMb : undefined,
      unit: "MB",
      op: "<=",
      goal: 15,
    },
    {
      id: "rssYoungCap",
      label: "the same, young generation capped as the Docker image runs it",
      value: t.ws1000young && t.fastify ? t.ws1000young.rssMb - t.fastify.rssMb : undefined,
      unit: "MB",
      op: "<=",
      goal: 15,
    },
    { id: "youngCapVsFastify", label: "1,000 routes, warn, young generation capped ÷ bare Fastify", value: ratio("ws1000young", "fastify"), unit: "×", op: ">=", goal: 0.85 },
    { id: "reload", label: "reload: file write → new answer (median)", value: reload?.medianMs, unit: "ms", op: "<=", goal: 300, note: reload?.skipped },
    {
      id: "reloadRss",
      label: `RSS growth over ${reload?.reloads ?? 200} reloads`,
      value: reload?.growthMb,
      unit: "MB",
      op: "<=",
      goal: 20,
      note: reload?.skipped,
    },
  ];
  for (const v of list) {
    if (v.value !== undefined && Number.isFinite(v.value)) v.pass = v.op === ">=" ? v.value >= v.goal : v.value <= v.goal;
  }
  return list;
}

/** Right-align numbers, left-align text, one space-padded table. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[\d.,+−-]+(?:\s?\S{0,3})$|^–$/.test(String(r[i]))));
  const line = (r) => r.map((cell, i) => (numeric[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Markdown version of the same table, for the README. */
export function markdownTable(header, rows) {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function formatValue(value, unit, digits) {
  if (value === undefined || !Number.isFinite(value)) return "–";
  // Three decimals for ratios, so a value just under its goal never prints as equal to it;
  // milliseconds as measured (a p99 of 5.5 ms is not 6).
  const d = digits ?? (unit === "×" ? 3 : unit === "KB" ? 2 : unit === "%" || unit === "MB" ? 1 : unit === "ms" && !Number.isInteger(value) ? 1 : 0);
  return `${value.toFixed(d)}${unit === "×" ? "×" : unit === "%" ? " %" : ` ${unit}`}`;
}

export function verdictRows(list, previous) {
  return list.map((v) => {
    const prev = previous?.find((p) => p.id === v.id);
    return [
      v.label,
      formatValue(v.value, v.unit),
      `${v.op === ">=" ? "≥" : "≤"} ${formatValue(v.goal, v.unit, v.unit === "×" ? 2 : undefined)}`,
      v.pass === undefined ? (v.note ? "skipped" : "n/a") : v.pass ? "PASS" : "MISS",
      prev ? formatValue(prev.value, prev.unit) : "–",
    ];
  });
}

/** Reasons behind "skipped" rows, one line each, printed under the table. */
export function verdictNotes(list) {
  return [...new Set(list.filter((v) => v.pass === undefined && v.note).map((v) => `skipped: ${v.note}`))];
}
