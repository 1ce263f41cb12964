/**
 * @module Which value identifies a delivery: the webhook's `dedupe.key` (a dotted JSON path
 * into the body, or `header:NAME`), else the adapter's default (`responseId`, `id`, …) when
 * `server.dedupe` is set, else none. Pure.
 */
import type { Headers } from "../types.js";
import { compilePath, type PathGetter } from "../routing/json-path.js";

/** A compiled key spec: returns the key for a request, or undefined (no dedupe for it). */
export type KeyReader = (body: unknown, headers: Headers) => string | undefined;

/**
 * The spec in force for a webhook, or undefined when dedupe is off for it.
 * @example keySpec({ key: "responseId" }, undefined, false) // "responseId"
 */
export function keySpec(webhookDedupe: { key: string } | false | undefined, adapterDefault: string | undefined, serverWide: boolean): string | undefined {
  if (webhookDedupe === false) return undefined;
  if (webhookDedupe !== undefined) return webhookDedupe.key;
  return serverWide ? adapterDefault : undefined;
}

/**
 * @example compileKey("header:webhook-id")({}, { "webhook-id": "msg_1" }) // "msg_1"
 * @throws Error on an empty header name or a path with an empty segment (the config loader
 *   reports these with their line:column).
 */
export function compileKey(spec: string): KeyReader {
  if (spec.toLowerCase().startsWith("header:")) {
    const name = spec.slice("header:".length).trim().toLowerCase();
    if (name === "") throw new Error("header name is empty");
    return (_body, headers) => {
      const value = headers[name];
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined || first === "" ? undefined : first;
    };
  }
  const get: PathGetter = compilePath(spec);
  return (body) => {
    const value = get(body);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  };
}
