/**
 * @module The metrics read from the running core when `/metrics` is scraped, not counted per
 * request: calls in flight per route, global slots in use (asked of Redis), each Redis store's
 * state and errors, and the drain flag. The core knows nothing of metrics: it is read through a
 * CoreProbe the server builds over it.
 * @see https://github.com/siimon/prom-client#configuration (collect, aggregator)
 */
import { Counter, Gauge, type Registry } from "prom-client";

/** What the metrics read from the core at each scrape. */
export interface CoreProbe {
  /** Handler calls running in this process, per route (calls past their deadline too). */
  inFlight(): Iterable<{ webhook: string; route: string; calls: number }>;
  /** Leases held in Redis now, by every instance, per `scope: global` route; none when Redis cannot answer. */
  globalSlots(): Promise<Iterable<{ webhook: string; route: string; slots: number }>>;
  /** The Redis clients of this process: `dedupe`, `limit`. */
  redis(): Iterable<{ store: string; up: boolean; errors: number }>;
  draining(): boolean;
}

export interface CoreMetrics {
  watch(probe: CoreProbe): void;
  /** For the shutdown code: the gauge is 1 while this is set, or while the probe says the core drains. */
  setDraining(draining: boolean): void;
}

export function registerCoreMetrics(registry: Registry): CoreMetrics {
  let probe: CoreProbe | undefined;
  let drainingSet = false;
  new Gauge({
    name: "webhook_serve_calls_in_flight",
    help: "Handler calls running now, by webhook path and route (under --workers, summed over workers).",
    labelNames: ["webhook", "route"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { webhook, route, calls } of probe?.inFlight() ?? []) this.set({ webhook, route }, calls);
    },
  });
  new Gauge({
    name: "webhook_serve_global_slots_in_use",
    help: "Slots of scope: global routes held in Redis now, by every instance (read from Redis at scrape).",
    labelNames: ["webhook", "route"] as const,
    registers: [registry],
    // The same Redis count seen by each worker: summing would multiply it.
    aggregator: "max",
    async collect() {
      this.reset();
      for (const { webhook, route, slots } of (await probe?.globalSlots()) ?? []) this.set({ webhook, route }, slots);
    },
  });
  new Gauge({
    name: "webhook_serve_redis_up",
    help: "1 when the last command to this Redis client (store: dedupe, limit) succeeded, 0 after a failure.",
    labelNames: ["store"] as const,
    registers: [registry],
    // One worker cut off is an outage to see.
    aggregator: "min",
    collect() {
      this.reset();
      for (const { store, up } of probe?.redis() ?? []) this.set({ store }, up ? 1 : 0);
    },
  });
  new Counter({
    name: "webhook_serve_redis_errors_total",
    help: "Redis command failures and connection errors, by store (dedupe, limit).",
    labelNames: ["store"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { store, errors } of probe?.redis() ?? []) this.inc({ store }, errors);
    },
  });
  new Gauge({
    name: "webhook_serve_draining",
    help: "1 once shutdown began: new requests are turned away (503) while calls in flight finish.",
    registers: [registry],
    aggregator: "max",
    collect() {
      this.set(drainingSet || probe?.draining() === true ? 1 : 0);
    },
  });
  return {
    watch(next) {
      probe = next;
    },
    setDraining(draining) {
      drainingSet = draining;
    },
  };
}
