/** @module The Host line a request must carry, checked ahead of Fastify on plain requests and on WebSocket upgrades. */
import type { IncomingMessage } from "node:http";

/** RFC 9112 §3.2: exactly one Host line, or 400 (HTTP/1.0 may omit it). Node keeps only the first of several. */
export function hostIsValid(request: IncomingMessage): boolean {
  const { rawHeaders } = request;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).length === 4 && (rawHeaders[i] as string).toLowerCase() === "host") count++;
  return count === 1 || (count === 0 && request.httpVersion === "1.0");
}
