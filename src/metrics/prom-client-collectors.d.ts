// prom-client ships its default-metric collectors as modules without types: each is a
// function of (registry, config) that registers its metrics (lib/defaultMetrics.js).
declare module "prom-client/lib/metrics/*.js" {
  import type { Registry } from "prom-client";
  const collect: (registry: Registry, config: { register: Registry; eventLoopMonitoringPrecision?: number }) => void;
  export default collect;
}
