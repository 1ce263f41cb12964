/**
 * @module Read one request header as a single string.
 */
import type { Headers } from "../types.js";

/**
 * The header's value; the first one when Node hands over an array (only `set-cookie`
 * in practice: Node joins repeated custom headers with ", ").
 */
export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : value?.[0];
}
