/**
 * @module The two per-request metrics (`webhook_serve_requests_total` and
 * `webhook_serve_request_duration_seconds`) as prom-client metric objects that count into
 * plain records found through nested Maps. prom-client's own Counter and Histogram build a
 * label object and a label string for every observation; these find the record for a
 * (webhook, route, status) without allocating, and build labels only when scraped. The text
 * and JSON they give are prom-client's (the registry formats them; the cluster aggregator sums them).
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { Registry } from "prom-client";

/** One metric's series in prom-client's `get()` shape. */
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricJson {
  name: string;
  help: string;
  type: "counter" | "histogram";
  values: MetricValue[];
  aggregator: "sum";
}

/** Map of Map of … keyed by label values, created on first use. */
function recordIn<T>(map: Map<string, Map<string, T>>, a: string, b: string, make: () => T): T {
  let inner = map.get(a);
  if (inner === undefined) {
    inner = new Map();
    map.set(a, inner);
  }
  let record = inner.get(b);
  if (record === undefined) {
    record = make();
    inner.set(b, record);
  }
  return record;
}

/** `webhook_serve_requests_total{webhook, route, status}`. */
export class RequestCounter {
  readonly type = "counter";
  readonly aggregator = "sum";
  private readonly counts = new Map<string, Map<string, Map<number, { value: number }>>>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(webhook: string, route: string, status: number): void {
    const byStatus = recordIn(this.counts, webhook, route, () => new Map<number, { value: number }>());
    const record = byStatus.get(status);
    if (record === undefined) byStatus.set(status, { value: 1 });
    else record.value++;
  }

  get(): MetricJson {
    const values: MetricValue[] = [];
    for (const [webhook, byRoute] of this.counts)
      for (const [route, byStatus] of byRoute) for (const [status, { value }] of byStatus) values.push({ labels: { webhook, route, status: String(status) }, value });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.counts.clear();
  }
}

interface Buckets {
  /** Observations per bucket (not cumulative); the last entry is +Inf only. */
  counts: number[];
  sum: number;
  count: number;
}

/** `webhook_serve_request_duration_seconds{webhook, route}`, with fixed upper bounds. */
export class RequestHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Map<string, Buckets>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(webhook: string, route: string, seconds: number): void {
    const record = recordIn(this.series, webhook, route, () => ({ counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 }));
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    (record.counts[i] as number)++;
    record.sum += seconds;
    record.count++;
  }

  get(): MetricJson {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [webhook, byRoute] of this.series) {
      for (const [route, { counts, sum, count }] of byRoute) {
        let below = 0;
        this.bounds.forEach((le, i) => {
          below += counts[i] as number;
          values.push({ labels: { le, webhook, route }, value: below, metricName: bucket });
        });
        values.push({ labels: { le: "+Inf", webhook, route }, value: count, metricName: bucket });
        values.push({ labels: { webhook, route }, value: sum, metricName: `${this.name}_sum` });
        values.push({ labels: { webhook, route }, value: count, metricName: `${this.name}_count` });
      }
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

/** Adds both to a registry (prom-client reads any object with its metric shape). */
export function registerRequestMetrics(registry: Registry, metrics: readonly (RequestCounter | RequestHistogram)[]): void {
  for (const metric of metrics) registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
}
