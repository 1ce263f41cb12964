/**
 * @module Prometheus metrics: one prom-client Registry per app (never the global default,
 * so tests, serverless instances and cluster workers never share counters), filled from
 * the request info dispatch keeps for the onResponse hook, and read by `GET /metrics`.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import { Counter, Registry } from "prom-client";
import { registerCoreMetrics, type CoreMetrics } from "./core-metrics.js";
import { collectProcessMetrics } from "./process-metrics.js";
import { RequestCounter, RequestHistogram, registerRequestMetrics } from "./request-metrics.js";

type ReloadResult = "ok" | "failed";

/** What `webhook_serve_process_faults_total{kind}` counts (server/process-faults.ts). */
export type FaultKind = "unhandled_rejection" | "uncaught_exception";

/** What became of a call the route's concurrency limit turned away. */
export type LimitedOutcome = "fallback" | "rejected" | "fallback_failed";

/** `watch(probe)` feeds the in-flight, global slot, Redis and drain gauges; `setDraining` is for shutdown code. */
export interface Metrics extends CoreMetrics {
  readonly registry: Registry;
  /** One finished request; `seconds` from Fastify's elapsed time. */
  request(webhook: string, route: string, status: number, seconds: number): void;
  handlerError(webhook: string, route: string): void;
  handlerTimeout(webhook: string, route: string): void;
  dedupeHit(webhook: string): void;
  /** A call over its route's concurrency limit, by what answered it. */
  limited(webhook: string, route: string, outcome: LimitedOutcome): void;
  reload(result: ReloadResult): void;
  fault(kind: FaultKind): void;
}

/** Buckets around chatbot deadlines (Dialogflow waits 5 s, Lex 30 s). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 5, 10];

interface MetricsOptions {
  /** Also collect process metrics (CPU, memory, event loop, heap; not GC durations, see process-metrics.ts). @default true */
  processMetrics?: boolean;
}

/**
 * @example
 * const metrics = createMetrics();
 * metrics.request("/apiai", "action=greetings", 200, 0.004);
 * await metrics.registry.metrics(); // Prometheus text
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectProcessMetrics(registry);
  // The two metrics every request touches: lean records instead of prom-client's per-call label objects.
  const requests = new RequestCounter("webhook_serve_requests_total", "Requests answered, by webhook path, route and HTTP status.");
  const duration = new RequestHistogram("webhook_serve_request_duration_seconds", "Time from request start to the last byte of the answer, by webhook path and route.", BUCKETS);
  registerRequestMetrics(registry, [requests, duration]);
  const errors = new Counter({
    name: "webhook_serve_handler_errors_total",
    help: "Handlers that threw or returned an invalid value.",
    labelNames: ["webhook", "route"] as const,
    registers: [registry],
  });
  const timeouts = new Counter({
    name: "webhook_serve_handler_timeouts_total",
    help: "Handlers that passed their deadline.",
    labelNames: ["webhook", "route"] as const,
    registers: [registry],
  });
  const dedupeHits = new Counter({
    name: "webhook_serve_dedupe_hits_total",
    help: "Duplicate deliveries answered from the first reply without running the handler.",
    labelNames: ["webhook"] as const,
    registers: [registry],
  });
  const limitedCalls = new Counter({
    name: "webhook_serve_limited_total",
    help: "Calls turned away by a route's concurrency limit, by outcome (fallback: its fallback answered; rejected: 429; fallback_failed: the fallback failed).",
    labelNames: ["webhook", "route", "outcome"] as const,
    registers: [registry],
  });
  const core = registerCoreMetrics(registry);
  const reloads = new Counter({
    name: "webhook_serve_reloads_total",
    help: "Config and handler reloads, by result (ok, failed).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const faults = new Counter({
    name: "webhook_serve_process_faults_total",
    help: "Errors no handler caught: unhandled promise rejections and uncaught exceptions.",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  faults.inc({ kind: "unhandled_rejection" }, 0);
  faults.inc({ kind: "uncaught_exception" }, 0);
  // Start at zero so dashboards see the series before the first reload.
  reloads.inc({ result: "ok" }, 0);
  reloads.inc({ result: "failed" }, 0);

  return {
    registry,
    request(webhook, route, status, seconds) {
      requests.inc(webhook, route, status);
      duration.observe(webhook, route, seconds);
    },
    handlerError: (webhook, route) => errors.inc({ webhook, route }),
    handlerTimeout: (webhook, route) => timeouts.inc({ webhook, route }),
    dedupeHit: (webhook) => dedupeHits.inc({ webhook }),
    limited: (webhook, route, outcome) => limitedCalls.inc({ webhook, route, outcome }),
    watch: core.watch,
    setDraining: core.setDraining,
    reload: (result) => reloads.inc({ result }),
    fault: (kind) => faults.inc({ kind }),
  };
}
