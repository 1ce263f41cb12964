/**
 * @module A default of the routing file, read from the schema (its one source), for the few
 * readers that have no loaded config to look in: `--help`, the `--workers` primary, and the
 * deduper's memory store for webhooks that set `dedupe` without `server.dedupe`.
 */
import { configSchema } from "./config-schema.js";

interface Node {
  default?: unknown;
  properties?: Record<string, Node>;
}

/** `schemaDefault("server.port")` → 8080, in the file's own units (`"10s"`, `"1mb"`). */
export function schemaDefault(path: string): unknown {
  let node: Node | undefined = configSchema as Node;
  for (const key of path.split(".")) node = node?.properties?.[key];
  if (node?.default === undefined) throw new Error(`the config schema has no default at ${path}`);
  return node.default;
}
