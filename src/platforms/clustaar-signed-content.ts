/**
 * @module The bytes Clustaar signs: `"date=" + <Date header> + "\n" + raw body`.
 * Mirrors clustaar.webhook's validate_signature_middleware
 * (https://github.com/Clustaar/clustaar.webhook, src/clustaar/webhook/middlewares/).
 */
import type { Headers } from "../types.js";

/**
 * @example
 * clustaarSignedContent(Buffer.from("{}"), {}).toString() // "date=None\n{}"
 */
export function clustaarSignedContent(rawBody: Buffer, headers: Headers): Buffer {
  const header = headers.date;
  const date = Array.isArray(header) ? header[0] : header;
  // The Python middleware formats a missing header as str(None).
  return Buffer.concat([Buffer.from(`date=${date ?? "None"}\n`, "utf8"), rawBody]);
}
