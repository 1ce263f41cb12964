/**
 * @module Request bodies by media type: how the (inflated) bytes become the value an adapter
 * reads. JSON for every platform by default; `application/x-www-form-urlencoded` for the ones
 * that post forms, with a field that may itself hold JSON (Slack's interactive `payload=`).
 * An adapter names the decoders it accepts (`PlatformAdapter.bodies`); a media type none of
 * the webhook's adapters accepts is answered 415.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3
 * @see https://url.spec.whatwg.org/#application/x-www-form-urlencoded
 */
import type { ErrorCode } from "../errors.js";

export type BodyFailure = { ok: false; code: ErrorCode; args?: (string | number)[] };
export type BodyResult<T> = { ok: true; value: T } | BodyFailure;

export interface BodyDecoder {
  /** `json`, `form`: what `CoreRequest.bodyType` and the docs call it. */
  readonly name: string;
  /** The media types it reads (the Content-Type header, parameters included). */
  readonly mediaType: RegExp;
  /** The Content-Type a request built by `send` or the testing helper carries. */
  readonly contentType: string;
  /** A body value (an adapter's `sample()`) → the bytes a platform would send. */
  encode(value: unknown): string;
  /** The bytes → the body, or why not (400). `maxDepth` bounds nesting, before anything walks the value. */
  decode(bytes: Buffer, maxDepth: number): BodyResult<unknown>;
}

/** `application/json` and any `application/…+json`, with parameters. */
export const JSON_TYPE = /^application\/(?:json|[\w.+-]+\+json)\s*(?:;.*)?$/i;

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

export const jsonBody: BodyDecoder = { name: "json", mediaType: JSON_TYPE, contentType: "application/json", decode: parseJson, encode: (value) => JSON.stringify(value) };

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;.*)?$/i;

/**
 * A form body as a record of strings (a repeated field keeps its last value); `jsonField`
 * names a field whose value is JSON, parsed in place with the same depth limit.
 * @example formBody({ jsonField: "payload" }).decode(Buffer.from("payload=%7B%22a%22%3A1%7D"), 8) // { ok: true, value: { payload: { a: 1 } } }
 */
export function formBody(options: { jsonField?: string } = {}): BodyDecoder {
  const { jsonField } = options;
  return {
    name: "form",
    mediaType: FORM_TYPE,
    contentType: "application/x-www-form-urlencoded",
    encode(value) {
      const fields = new URLSearchParams();
      for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
        fields.append(name, name === jsonField && typeof field === "object" ? JSON.stringify(field) : String(field));
      }
      return fields.toString();
    },
    decode(bytes, maxDepth) {
      const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [name, value] of new URLSearchParams(bytes.toString("utf8"))) fields[name] = value;
      const held = jsonField === undefined ? undefined : fields[jsonField];
      if (typeof held !== "string") return { ok: true, value: { ...fields } };
      const parsed = parseJson(Buffer.from(held), maxDepth - 1);
      if (!parsed.ok) return parsed.code === "WHS_ERR_BODY_TOO_DEEP" ? { ...parsed, args: [maxDepth] } : parsed;
      return { ok: true, value: { ...fields, [jsonField as string]: parsed.value } };
    },
  };
}

/** True when `adapter` reads bodies its carrier decoded as `bodyType` (JSON unless it says otherwise). */
export function acceptsBody(adapter: { readonly bodies?: readonly BodyDecoder[] }, bodyType: string): boolean {
  if (adapter.bodies === undefined) return bodyType === "json";
  for (const decoder of adapter.bodies) if (decoder.name === bodyType) return true;
  return false;
}

/** The decoder among `decoders` for a Content-Type header; undefined when none reads it. */
export function decoderFor(decoders: readonly BodyDecoder[], contentType: string): BodyDecoder | undefined {
  for (const decoder of decoders) if (decoder.mediaType.test(contentType)) return decoder;
  return undefined;
}

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
