/**
 * @module GET a small text document (a certificate chain) for a check, with a deadline and a
 * size bound: the URL comes from a request, so neither a slow server nor a large answer may
 * hold the request or the memory.
 */

/** Fetches `url`'s body as text. Injectable, so tests serve their own documents on 127.0.0.1. */
export type FetchText = (url: string, options: { signal: AbortSignal; maxBytes: number }) => Promise<string>;

/** Why a fetch failed: `status` is the HTTP status when there was an answer. */
export class FetchTextError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = "FetchTextError";
    this.status = status;
  }
}

/**
 * Node's fetch, no redirects followed (the URL was checked; where it redirects was not),
 * refusing an answer that is not 2xx or larger than `maxBytes`.
 * @throws FetchTextError (with the status) for an answer that is not 2xx or too large; the
 *   fetch's own error when there is no answer (an aborted signal, a refused connection).
 */
export const fetchText: FetchText = async (url, { signal, maxBytes }) => {
  const res = await fetch(url, { signal, redirect: "error" });
  if (!res.ok) {
    await res.body?.cancel();
    throw new FetchTextError(`GET answered ${res.status}`, res.status);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new FetchTextError(`answer larger than ${maxBytes} bytes`, res.status);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body !== null) {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new FetchTextError(`answer larger than ${maxBytes} bytes`, res.status);
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks).toString("utf8");
};
