/**
 * @module Request bodies, the same for every transport: which media types are JSON, which
 * Content-Encodings are inflated (Rasa compresses action calls when
 * COMPRESS_ACTION_SERVER_REQUEST=true), and the JSON parse with its depth limit. The HTTP
 * server inflates on the thread pool (`readJson`); the in-process carriers (serverless,
 * `send`, testing) read whole buffers with `readBody`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4
 */
import { brotliDecompress, brotliDecompressSync, gunzip, gunzipSync, inflate, inflateSync, type ZlibOptions } from "node:zlib";
import type { ErrorCode } from "../errors.js";
import type { Headers } from "../types.js";

type Inflate = (bytes: Buffer, options: ZlibOptions, done: (error: Error | null, result: Buffer) => void) => void;

interface Decoder {
  /** The encoding's name, lower case, as error messages give it. */
  name: string;
  inflate: Inflate;
  whole: (bytes: Buffer, options: ZlibOptions) => Buffer;
}

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: { name: "gzip", inflate: gunzip, whole: gunzipSync },
  "x-gzip": { name: "x-gzip", inflate: gunzip, whole: gunzipSync },
  deflate: { name: "deflate", inflate, whole: inflateSync },
  br: { name: "br", inflate: brotliDecompress, whole: brotliDecompressSync },
};

/** `application/json` and any `application/…+json`, with parameters. */
export const JSON_TYPE = /^application\/(?:json|[\w.+-]+\+json)\s*(?:;.*)?$/i;

export type BodyFailure = { ok: false; code: ErrorCode; args?: (string | number)[] };
export type BodyResult<T> = { ok: true; value: T } | BodyFailure;

/** The decoder a Content-Encoding names; `undefined` for none/identity; a failure for an unknown one. */
function decoderFor(header: string | string[] | undefined): Decoder | undefined | BodyFailure {
  if (header === undefined) return undefined;
  const given = Array.isArray(header) ? header.join(",") : header;
  const name = given.trim().toLowerCase();
  if (name === "" || name === "identity") return undefined;
  if (Object.hasOwn(DECODERS, name)) return DECODERS[name];
  return { ok: false, code: "WHS_ERR_ENCODING_UNSUPPORTED", args: [JSON.stringify(given.slice(0, 40))] };
}

/** The inflated bytes, or 413 past `bodyLimit` (a bomb stops there) and 400 for bytes that do not inflate. */
function inflated(decoder: Decoder, error: unknown, raw: Buffer | undefined, bodyLimit: number): BodyResult<Buffer> {
  if ((error as NodeJS.ErrnoException | null)?.code === "ERR_BUFFER_TOO_LARGE") return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  if (error || raw === undefined) return { ok: false, code: "WHS_ERR_ENCODING_INVALID", args: [decoder.name] };
  if (raw.length > bodyLimit) return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  return { ok: true, value: raw };
}

/** JSON.parse, then the depth check, before any route or template walks the value. */
export function parseJson(bytes: Buffer, maxDepth: number): BodyResult<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { ok: false, code: "WHS_ERR_BODY_NOT_JSON" };
  }
  if (nestedDeeper(value, maxDepth)) return { ok: false, code: "WHS_ERR_BODY_TOO_DEEP", args: [maxDepth] };
  return { ok: true, value };
}

export interface ReadBody {
  /** The bytes signatures are checked over (inflated when the body was compressed). */
  rawBody: Buffer;
  body: unknown;
}

/**
 * Received bytes → inflated (on the thread pool, at most `bodyLimit` + 1 bytes produced) and
 * parsed: the HTTP server's step, from Fastify's parser and from the direct webhook path alike.
 * Without a Content-Encoding `done` runs at once. `context` is handed to `done`, so a caller
 * needs no closure per request.
 */
export function readJson<C>(
  received: Buffer,
  encoding: string | string[] | undefined,
  limits: { bodyLimit: number; maxDepth: number },
  done: (result: BodyResult<ReadBody>, context: C) => void,
  context: C,
): void {
  const decoder = decoderFor(encoding);
  if (decoder === undefined || received.length === 0) return done(parsedBody(received, limits.maxDepth), context);
  if ("ok" in decoder) return done(decoder, context);
  decoder.inflate(received, { maxOutputLength: limits.bodyLimit + 1 }, (error, raw) => {
    const bytes = inflated(decoder, error, raw, limits.bodyLimit);
    done(bytes.ok ? parsedBody(bytes.value, limits.maxDepth) : bytes, context);
  });
}

/** The bytes signatures are checked over, and their JSON. */
function parsedBody(bytes: Buffer, maxDepth: number): BodyResult<ReadBody> {
  const parsed = parseJson(bytes, maxDepth);
  return parsed.ok ? { ok: true, value: { rawBody: bytes, body: parsed.value } } : parsed;
}

/**
 * A whole received body → what the core reads, with the server's answers for a wrong media
 * type (415), too large (413, also after inflating), bad encoding or JSON (400).
 */
export function readBody(headers: Headers, bytes: Buffer | undefined, limits: { bodyLimit: number; maxDepth: number }): BodyResult<ReadBody> {
  const type = headers["content-type"];
  if (bytes === undefined || bytes.length === 0) {
    if (type === undefined) return { ok: true, value: { rawBody: EMPTY, body: undefined } };
    return JSON_TYPE.test(String(type)) ? { ok: false, code: "WHS_ERR_BODY_NOT_JSON" } : { ok: true, value: { rawBody: EMPTY, body: undefined } };
  }
  if (type === undefined || !JSON_TYPE.test(String(type))) return { ok: false, code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" };
  if (bytes.length > limits.bodyLimit) return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  const decoder = decoderFor(headers["content-encoding"]);
  let raw = bytes;
  if (decoder !== undefined) {
    if ("ok" in decoder) return decoder;
    let error: unknown = null;
    let out: Buffer | undefined;
    try {
      out = decoder.whole(bytes, { maxOutputLength: limits.bodyLimit + 1 });
    } catch (caught) {
      error = caught;
    }
    const result = inflated(decoder, error, out, limits.bodyLimit);
    if (!result.ok) return result;
    raw = result.value;
  }
  return parsedBody(raw, limits.maxDepth);
}

const EMPTY = Buffer.alloc(0);

/**
 * True when objects/arrays nest more than `levels` deep (`{}` is one level). Stops at the
 * limit, so the walk itself never recurses deeper than `levels`.
 * @example nestedDeeper({ a: { b: [1] } }, 2) // true: three levels
 */
export function nestedDeeper(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (levels === 0) return true;
  // Only objects and arrays recurse: most values are strings and numbers, tested inline.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && nestedDeeper(item, levels - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === "object" && item !== null && nestedDeeper(item, levels - 1)) return true;
  }
  return false;
}
