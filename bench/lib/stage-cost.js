/**
 * @module What one request costs step by step, measured in-process on the built code with the
 * throughput rounds' config (1,000 routes, basic auth) and request: µs per JSON parse (with the
 * depth check), basic auth, request schema, turn (the adapter's parse), route match, template,
 * serialize (the adapter's body and its JSON), the access-log line (pino, to /dev/null) and the
 * metrics record; then the whole core (`pipeline.answer`, parse excluded). Each step runs
 * N times in a loop; the figure is the median of 7 alternating runs. These are the costs of the
 * steps alone: a server adds Fastify and Node's HTTP, so the HTTP ratios are the ones that count.
 */
import { logAccess } from "../../dist/core/access-log.js";
import { createPipeline } from "../../dist/core/handle.js";
import { parseJson } from "../../dist/platforms/body-decoders.js";
import { createMetrics } from "../../dist/metrics/metrics.js";
import { resolveReply } from "../../dist/replies/resolve-reply.js";
import { batchedDestination, createServerLogger } from "../../dist/logging/logger.js";
import { openSync } from "node:fs";
import { pino } from "pino";
import { loadBenchWebhook } from "./load-webhook.js";
import { median } from "./stats.js";

const N = 20_000;

/**
 * @param {{ config: string, body: string, authorization: string }} spec
 * @returns {Promise<{ key: string, label: string, us: number }[]>}
 */
export async function measureStageCost({ config, body, authorization }) {
  const { config: loaded, runtime, webhook } = await loadBenchWebhook(config);
  const checks = webhook.adapters[0];
  const { adapter } = checks;
  const raw = Buffer.from(body);
  const headers = { host: "127.0.0.1", "content-type": "application/json", authorization, "content-length": String(raw.length) };
  const { maxDepth } = loaded.server;
  const parsed = JSON.parse(body);
  const turn = adapter.parse(parsed, headers);
  const route = webhook.routes[webhook.router.match(turn)];
  if (route === undefined || route.target.kind !== "reply") throw new Error("the bench request must match a static-reply route");
  const reply = resolveReply(route.target.render(turn), turn);
  // The quiet logger: an open fd makes the stream ready at once.
  const devNull = () => pino.destination({ dest: openSync("/dev/null", "w"), sync: false });
  const quiet = pino({ level: "warn" }, devNull());
  // Batched as the server's stdout is, its lines written straight to the destination as the server's are.
  const serverLogger = createServerLogger({ level: "info", secrets: loaded.secrets, destination: batchedDestination(openSync("/dev/null", "w")) });
  const accessLog = { logger: serverLogger.logger, accessLines: serverLogger.destination };
  const metrics = createMetrics({ processMetrics: false });
  const pipeline = createPipeline(runtime, quiet);
  const request = { method: "POST", path: webhook.path, headers, rawBody: raw, body: parsed, id: "req-1" };
  const line = { reqId: "req-1", method: "POST", url: webhook.path, ip: "127.0.0.1", status: 200, ms: 1.2, info: { webhook: webhook.path, route: route.label } };
  const answer = pipeline.answer(request);
  if (answer instanceof Promise || answer.status !== 200) throw new Error("the bench request must be answered at once with 200");

  const steps = [
    { key: "parse", label: "JSON parse + depth check (2.3 KB)", run: () => parseJson(raw, maxDepth) },
    { key: "auth", label: "basic auth", run: () => checks.auth?.({ headers, rawBody: raw, now: 0 }) },
    { key: "schema", label: "request schema (ajv, precompiled)", run: () => checks.validate(parsed) },
    { key: "turn", label: "turn (adapter parse)", run: () => adapter.parse(parsed, headers) },
    { key: "route", label: "route match (1,000 routes)", run: () => webhook.router.match(turn) },
    { key: "template", label: "template (render + resolve)", run: () => resolveReply(route.target.render(turn), turn) },
    { key: "serialize", label: "serialize (platform body + JSON)", run: () => JSON.stringify(adapter.serialize(reply, turn).body) },
    { key: "log", label: "access-log line (info, batched → /dev/null)", run: () => logAccess(accessLog, line) },
    { key: "metrics", label: "metrics record", run: () => metrics.request(webhook.path, route.label, 200, 0.0012) },
    { key: "core", label: "whole core, parse excluded (pipeline.answer)", run: () => pipeline.answer(request) },
  ];
  const runs = new Map(steps.map((s) => [s.key, []]));
  let sink = 0;
  for (let r = 0; r < 7; r++) {
    for (const step of r % 2 === 0 ? steps : [...steps].reverse()) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < N; i++) if (step.run() === sink) sink++;
      runs.get(step.key).push(Number(process.hrtime.bigint() - started) / N / 1000);
    }
  }
  await pipeline.close();
  // `sink` keeps the loops' results alive; it is never this large.
  if (sink > N * 100) throw new Error("unreachable");
  return steps.map((s) => ({ key: s.key, label: s.label, us: median(runs.get(s.key)) }));
}
