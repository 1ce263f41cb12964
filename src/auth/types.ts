/**
 * @module The shape every request check shares: a function of the request's headers, its raw
 * body bytes and the current time, answering a failure or `undefined` (passed). A check that
 * must fetch something first (a certificate chain, a JWKS) answers a promise instead; callers
 * await only when a promise comes back, so the synchronous checks cost nothing extra.
 */
import type { KeyObject } from "node:crypto";
import type { SignatureConfig } from "../config/types.js";
import type { ErrorCode } from "../errors.js";
import type { Headers } from "../types.js";

/** What a check reads. `rawBody` is the exact bytes received; `now` is epoch milliseconds. */
export interface AuthRequest {
  headers: Headers;
  rawBody: Buffer;
  now: number;
  /**
   * The URL the sender signed (schemes that sign the URL): the webhook's `publicUrl` followed
   * by the request's query when the webhook sets one, else the path and query as received.
   */
  url?: string;
  /** The decoded body (schemes that sign form fields). */
  body?: unknown;
}

/** Why a request is refused. Never names the check or the secret that failed. */
export interface AuthFailure {
  readonly code: ErrorCode;
  /** Arguments for the code's message (`WHS_ERR_AUTH_MISSING` → the header name). */
  readonly args?: readonly string[];
  /** Response headers to set (`www-authenticate` for Basic auth). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a check answers: `undefined` when the request passes; a promise of that when it must fetch first. */
export type AuthResult = AuthFailure | undefined | Promise<AuthFailure | undefined>;

/** A compiled check. Never throws and never rejects: a problem is a failure value. */
export type AuthCheck = (req: AuthRequest) => AuthResult;

/** A check that never fetches: it answers at once (API key, Basic, HMAC, timestamps). */
export type SyncAuthCheck = (req: AuthRequest) => AuthFailure | undefined;

/** What a scheme may read of the webhook's platform: its HMAC defaults and its freshness rule. */
export interface SchemePlatform {
  readonly signature?: SignatureDefaults;
  readonly freshness?: FreshnessRule;
}

/** What `sign()` may be given besides the config. */
export interface SignOptions {
  /** The platform whose defaults apply (hmac). */
  platform?: SchemePlatform;
  /** The delivery id to use where the scheme sends one (Standard Webhooks). @default random */
  id?: string;
  /** For a scheme checked with a public key (ed25519): the private key to sign with, in tests. */
  privateKey?: KeyObject | string;
}

/**
 * One way of signing requests, by its `auth.signature.scheme` name (src/auth/signature-schemes.ts
 * holds them; a platform file adds its own with `registerSignatureScheme`, or by declaring it as
 * its adapter's `signatureScheme`).
 */
export interface SignatureScheme {
  /** Its `scheme:` name: `url-and-fields`, `ed25519`. */
  readonly name: string;
  /**
   * The `auth.signature` keys it reads besides `scheme`; any other is a config error.
   * @default ["secret", "secrets"]
   */
  readonly keys?: readonly string[];
  /** One of these keys must be set. @default ["secret", "secrets"] when `keys` is the default, else none */
  readonly needs?: readonly string[];
  /** Throws an Error saying what is wrong with a key's value (`publicKey` that is not a key); the loader reports it with its line. */
  checkValue?(key: string, value: string): void;
  /** The dedupe key its requests carry (`header:webhook-id`), used unless the webhook sets one. */
  readonly dedupeKey?: string;
  /** The check for one webhook's `auth.signature`, once per config load. */
  compile(config: SignatureConfig, platform: SchemePlatform): AuthCheck;
  /** `sign` needs `SignOptions.privateKey` (a public-key scheme): `send` and the inspector's replay cannot sign for it. */
  readonly signsWithPrivateKey?: boolean;
  /** The headers that sign a request (for `send`, the inspector's replay and tests); absent when the scheme cannot sign. */
  sign?(config: SignatureConfig, request: AuthRequest, options: SignOptions): Record<string, string>;
}

/** How a platform signs its requests; `auth.signature` fields override these. */
export interface SignatureDefaults {
  /** Lower-case header name, `x-hub-signature`. */
  header: string;
  algorithm: "sha1" | "sha256" | "sha512";
  encoding: "hex" | "base64";
  /** Text before the digest in the header, `sha256=`. */
  prefix: string;
  /** The bytes that are signed; the raw body when absent (Clustaar signs `date=<Date>\n<body>`). */
  signedContent?(rawBody: Buffer, headers: Headers): Buffer;
}

/**
 * A check on the request's age that the platform's reference server makes (Clustaar: Date
 * ≤ 10 s). A request without a readable timestamp passes (the signature covers it where it
 * matters); one outside the window answers 400 `WHS_ERR_REQUEST_STALE`.
 */
export interface FreshnessRule {
  /** Lower-case header holding the timestamp. @default "date" (unless `body` is set) */
  header?: string;
  /** A dotted path into the decoded body holding it instead (`request.timestamp`). */
  body?: string;
  /** How it is written. @default "http-date" */
  format?: TimestampFormat;
  /** Oldest accepted age in ms. */
  maxAge: number;
  /** Furthest accepted into the future, ms. @default Infinity */
  maxAhead?: number;
}

/** How the time is written: whole seconds or milliseconds since 1970, ISO 8601, or an HTTP date (RFC 9110 §5.6.7). */
export type TimestampFormat = "epoch-seconds" | "epoch-ms" | "iso-8601" | "http-date";
