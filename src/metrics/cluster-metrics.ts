/**
 * @module `/metrics` under `--workers N`: a scrape lands on one worker, which asks the
 * primary over the cluster IPC channel; the primary collects every worker's registry with
 * prom-client's AggregatorRegistry and answers with the sum. Outside a cluster: unused.
 * @see https://github.com/siimon/prom-client#usage-with-nodejs-cluster-module
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQ = "webhook-serve:metrics-req";
const RES = "webhook-serve:metrics-res";
/** Set by the primary in each worker's environment. */
export const CLUSTER_ENV = "WEBHOOK_SERVE_CLUSTER";

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
}

let nextId = 0;
const waiting = new Map<number, (text: string | undefined) => void>();
let workerReady = false;

function inCluster(): boolean {
  return cluster.isWorker && process.env[CLUSTER_ENV] === "1" && typeof process.send === "function";
}

/** Worker side: make `registry` the one the primary aggregates and listen for answers. */
function prepareWorker(registry: Registry): void {
  if (workerReady) return;
  workerReady = true;
  // Constructing one adds prom-client's worker-side listener; setRegistries picks our registry.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  process.on("message", (message: MetricsMessage) => {
    if (message?.type !== RES) return;
    waiting.get(message.id)?.(message.text);
    waiting.delete(message.id);
  });
}

/** Aggregated text from the primary when this process is a webhook-serve worker; undefined otherwise or on timeout. */
export async function clusterMetricsText(registry: Registry): Promise<string | undefined> {
  if (!inCluster()) return undefined;
  prepareWorker(registry);
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve(undefined);
    }, 3000);
    waiting.set(id, (text) => {
      clearTimeout(timer);
      resolve(text);
    });
    process.send!({ type: REQ, id } satisfies MetricsMessage);
  });
}

/** Worker side, at startup: register the registry before the first scrape asks for it. */
export function registerWorkerRegistry(registry: Registry): void {
  if (inCluster()) prepareWorker(registry);
}

/** Primary side: answer workers' aggregation requests. */
export function servePrimaryMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: MetricsMessage) => {
    if (message?.type !== REQ) return;
    aggregator.clusterMetrics().then(
      (text) => sendIfConnected(worker, { type: RES, id: message.id, text }),
      () => sendIfConnected(worker, { type: RES, id: message.id }),
    );
  });
}

/**
 * The asking worker may have died while the primary collected (up to 5 s): a send on its
 * closed channel would be an unhandled 'error' that ends the primary, and every worker with it.
 */
export function sendIfConnected(worker: Worker, message: object): void {
  if (!worker.isConnected()) return;
  worker.send(message, undefined, () => {});
}
