/**
 * @module Request bodies, the same for every transport: which Content-Encodings are inflated
 * (Rasa compresses action calls when COMPRESS_ACTION_SERVER_REQUEST=true), the limits, and
 * the decoder for the media type (JSON, a form: platforms/body-decoders.ts) among those the
 * config's webhooks accept. The HTTP server inflates on the thread pool (`readBody`); the
 * in-process carriers (serverless, `send`, testing) read whole buffers (`readWholeBody`).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4
 */
import { brotliDecompress, brotliDecompressSync, gunzip, gunzipSync, inflate, inflateSync, type ZlibOptions } from "node:zlib";
import { decoderFor, JSON_TYPE, type BodyDecoder, type BodyFailure, type BodyResult } from "../platforms/body-decoders.js";
import type { Headers } from "../types.js";

export type { BodyResult } from "../platforms/body-decoders.js";

type Inflate = (bytes: Buffer, options: ZlibOptions, done: (error: Error | null, result: Buffer) => void) => void;

interface Encoding {
  /** The encoding's name, lower case, as error messages give it. */
  name: string;
  inflate: Inflate;
  whole: (bytes: Buffer, options: ZlibOptions) => Buffer;
}

const ENCODINGS: Readonly<Record<string, Encoding>> = {
  gzip: { name: "gzip", inflate: gunzip, whole: gunzipSync },
  "x-gzip": { name: "x-gzip", inflate: gunzip, whole: gunzipSync },
  deflate: { name: "deflate", inflate, whole: inflateSync },
  br: { name: "br", inflate: brotliDecompress, whole: brotliDecompressSync },
};

/** The encoding a Content-Encoding names; `undefined` for none/identity; a failure for an unknown one. */
function encodingOf(header: string | string[] | undefined): Encoding | undefined | BodyFailure {
  if (header === undefined) return undefined;
  const given = Array.isArray(header) ? header.join(",") : header;
  const name = given.trim().toLowerCase();
  if (name === "" || name === "identity") return undefined;
  if (Object.hasOwn(ENCODINGS, name)) return ENCODINGS[name];
  return { ok: false, code: "WHS_ERR_ENCODING_UNSUPPORTED", args: [JSON.stringify(given.slice(0, 40))] };
}

/** The inflated bytes, or 413 past `bodyLimit` (a bomb stops there) and 400 for bytes that do not inflate. */
function inflated(encoding: Encoding, error: unknown, raw: Buffer | undefined, bodyLimit: number): BodyResult<Buffer> {
  if ((error as NodeJS.ErrnoException | null)?.code === "ERR_BUFFER_TOO_LARGE") return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  if (error || raw === undefined) return { ok: false, code: "WHS_ERR_ENCODING_INVALID", args: [encoding.name] };
  if (raw.length > bodyLimit) return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  return { ok: true, value: raw };
}

export interface ReadBody {
  /** The bytes signatures are checked over (inflated when the body was compressed). */
  rawBody: Buffer;
  body: unknown;
  /** The decoder's name (`json`, `form`); absent for no body. */
  bodyType?: string;
}

/** What limits a body: its size (received and inflated) and its nesting. */
export interface BodyLimits {
  bodyLimit: number;
  maxDepth: number;
}

/** A body with no media type and no bytes: none. */
const NONE: BodyResult<ReadBody> = { ok: true, value: { rawBody: Buffer.alloc(0), body: undefined } };
const UNSUPPORTED: BodyFailure = { ok: false, code: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE" };

/**
 * The decoder for a body, before a byte is inflated: 415 for a media type none of `decoders`
 * reads; undefined (no body) for an empty body without one. An empty JSON body is not JSON (400).
 */
function chooseDecoder(type: string | undefined, empty: boolean, decoders: readonly BodyDecoder[]): BodyDecoder | BodyResult<ReadBody> {
  if (type === undefined) return empty ? NONE : UNSUPPORTED;
  if (empty) return JSON_TYPE.test(type) ? { ok: false, code: "WHS_ERR_BODY_NOT_JSON" } : NONE;
  return decoderFor(decoders, type) ?? UNSUPPORTED;
}

/**
 * Received bytes → inflated (on the thread pool, at most `bodyLimit` + 1 bytes produced) and
 * decoded by the decoder for its media type: the HTTP server's step, from Fastify's parser.
 * Without a Content-Encoding `done` runs at once. `context` is handed to `done`, so a caller
 * needs no closure per request.
 */
export function readBody<C>(
  received: Buffer,
  headers: Headers,
  limits: BodyLimits,
  decoders: readonly BodyDecoder[],
  done: (result: BodyResult<ReadBody>, context: C) => void,
  context: C,
): void {
  const decoder = chooseDecoder(headers["content-type"] as string | undefined, received.length === 0, decoders);
  if ("ok" in decoder) return done(decoder, context);
  const encoding = encodingOf(headers["content-encoding"]);
  if (encoding === undefined) return done(decoded(decoder, received, limits.maxDepth), context);
  if ("ok" in encoding) return done(encoding, context);
  encoding.inflate(received, { maxOutputLength: limits.bodyLimit + 1 }, (error, raw) => {
    const bytes = inflated(encoding, error, raw, limits.bodyLimit);
    done(bytes.ok ? decoded(decoder, bytes.value, limits.maxDepth) : bytes, context);
  });
}

/** The bytes signatures are checked over, and their decoded value. */
function decoded(decoder: BodyDecoder, bytes: Buffer, maxDepth: number): BodyResult<ReadBody> {
  const body = decoder.decode(bytes, maxDepth);
  return body.ok ? { ok: true, value: { rawBody: bytes, body: body.value, bodyType: decoder.name } } : body;
}

/**
 * A whole received body → what the core reads, with the server's answers for a media type no
 * webhook reads (415), too large (413, also after inflating), bad encoding or body (400).
 */
export function readWholeBody(headers: Headers, bytes: Buffer | undefined, limits: BodyLimits, decoders: readonly BodyDecoder[]): BodyResult<ReadBody> {
  const type = headers["content-type"] as string | undefined;
  const decoder = chooseDecoder(type, bytes === undefined || bytes.length === 0, decoders);
  if ("ok" in decoder) return decoder;
  const received = bytes as Buffer;
  if (received.length > limits.bodyLimit) return { ok: false, code: "WHS_ERR_BODY_TOO_LARGE" };
  const encoding = encodingOf(headers["content-encoding"]);
  let raw = received;
  if (encoding !== undefined) {
    if ("ok" in encoding) return encoding;
    let error: unknown = null;
    let out: Buffer | undefined;
    try {
      out = encoding.whole(received, { maxOutputLength: limits.bodyLimit + 1 });
    } catch (caught) {
      error = caught;
    }
    const result = inflated(encoding, error, out, limits.bodyLimit);
    if (!result.ok) return result;
    raw = result.value;
  }
  return decoded(decoder, raw, limits.maxDepth);
}
