/**
 * @module `scheme: alexa`: an Alexa custom skill's request signature. The request names its
 * signing certificate chain (`SignatureCertChainUrl`, which must be on Amazon's S3 under
 * `/echo.api/`), and `Signature-256` holds base64(RSA-SHA256 of the raw body) made with the
 * chain's leaf key. The chain must lead to a trusted root, and its leaf must be for
 * `echo-api.amazon.com`; the body's `request.timestamp` must be within 150 s of now.
 * Chains are fetched once per URL (with a deadline and a size bound) and cached while valid,
 * so after the first request of a chain the check is synchronous again.
 * @see https://developer.amazon.com/en-US/docs/alexa/custom-skills/host-a-custom-skill-as-a-web-service.html#manually-verify-request-sent-by-alexa
 */
import { verify, type KeyObject } from "node:crypto";
import type { X509Certificate } from "node:crypto";
import { BoundedCache } from "./bounded-cache.js";
import { nodeRoots, parsePemChain, trustedRoots, verifyChain, type TrustedRoots } from "./certificate-chain.js";
import { AUTH_FAILED, AUTH_UNAVAILABLE, REQUEST_STALE } from "./failures.js";
import { fetchText as defaultFetchText, FetchTextError, type FetchText } from "./fetch-text.js";
import { headerValue } from "./header-value.js";
import { compileTimestampWindow } from "./timestamp-window.js";
import type { AuthFailure, AuthResult, SignatureScheme } from "./types.js";

export const CERT_URL_HEADER = "signaturecertchainurl";
export const SIGNATURE_256_HEADER = "signature-256";

/** The host the leaf certificate must name. */
const SIGNING_HOST = "echo-api.amazon.com";
/** Amazon: "The timestamp must be within 150 seconds of the current time." */
const TOLERANCE_MS = 150_000;

export interface AlexaSchemeOptions {
  /** The scheme's name. @default "alexa" */
  name?: string;
  /** How chains are fetched. @default Node's fetch, no redirects */
  fetchText?: FetchText;
  /** The roots a chain must lead to (PEM or parsed). @default Node's bundled Mozilla roots */
  trustedRoots?: readonly (string | X509Certificate)[];
  /** Deadline of one chain fetch, ms (Alexa waits 8 s for the whole answer). @default 2000 */
  timeout?: number;
  /** Chains kept (Alexa signs with one at a time; a rotation overlaps two). @default 8 */
  cacheSize?: number;
}

/**
 * Amazon's rules for the certificate URL: `https`, host `s3.amazonaws.com` (any case), port
 * 443 when given, path starting `/echo.api/` (case-sensitive) once dot segments are removed.
 * The normalized URL, or undefined when it breaks one.
 * @example alexaCertUrl("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem") // "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
 */
export function alexaCertUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  // WHATWG URL lower-cases scheme and host, drops the default port and resolves `..` and `%2e`.
  if (url.protocol !== "https:" || url.hostname !== "s3.amazonaws.com" || url.port !== "") return undefined;
  if (!url.pathname.startsWith("/echo.api/") || url.username !== "" || url.password !== "") return undefined;
  return url.href;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A refused chain is remembered this long, so a bad URL repeated does not fetch every time. */
const REFUSED_FOR_MS = 60_000;
/** A good chain is fetched again after at most this long (a revoked one stops passing then). */
const KEPT_FOR_MS = 24 * 3600_000;
/** Amazon's chain is a few KB. */
const MAX_CHAIN_BYTES = 64 * 1024;

type Chain = { key: KeyObject; notBefore: number; notAfter: number } | { refused: true };

/**
 * The scheme with its fetch, roots and cache: `alexaScheme` is the default; tests make one with
 * a local server and a test CA.
 */
export function createAlexaScheme(options: AlexaSchemeOptions = {}): SignatureScheme {
  const fetchText = options.fetchText ?? defaultFetchText;
  const timeout = options.timeout ?? 2000;
  const given = options.trustedRoots;
  let roots: TrustedRoots | undefined;
  const rootsNow = () => (roots ??= given === undefined ? nodeRoots() : trustedRoots(given));
  const cache = new BoundedCache<Chain>(options.cacheSize ?? 8);
  const pending = new Map<string, Promise<Chain | undefined>>();

  /** The chain at `url`, fetched and checked; undefined when it could not be fetched (no answer, 5xx). */
  async function load(url: string, now: number): Promise<Chain | undefined> {
    let text: string;
    try {
      text = await fetchText(url, { signal: AbortSignal.timeout(timeout), maxBytes: MAX_CHAIN_BYTES });
    } catch (error) {
      // A 4xx or an oversized answer is the request's fault (a made-up URL); anything else is ours or the network's.
      if (error instanceof FetchTextError && error.status !== undefined && error.status < 500) return refuse(url, now);
      return undefined;
    }
    let verified: ReturnType<typeof verifyChain>;
    try {
      verified = verifyChain(parsePemChain(text), { roots: rootsNow(), subjectAltName: SIGNING_HOST, now });
    } catch {
      return refuse(url, now);
    }
    if (typeof verified === "string") return refuse(url, now);
    const chain: Chain = { key: verified.leaf.publicKey, notBefore: verified.notBefore, notAfter: verified.notAfter };
    cache.set(url, chain, Math.min(verified.notAfter, now + KEPT_FOR_MS));
    return chain;
  }

  function refuse(url: string, now: number): Chain {
    const chain: Chain = { refused: true };
    cache.set(url, chain, now + REFUSED_FOR_MS);
    return chain;
  }

  /** One fetch per URL at a time: requests arriving while it runs wait for the same one. */
  function fetchOnce(url: string, now: number): Promise<Chain | undefined> {
    let loading = pending.get(url);
    if (loading === undefined) {
      loading = load(url, now).finally(() => pending.delete(url));
      pending.set(url, loading);
    }
    return loading;
  }

  return {
    name: options.name ?? "alexa",
    keys: [],
    compile() {
      const inWindow = compileTimestampWindow({ body: "request.timestamp", format: "iso-8601", maxAge: TOLERANCE_MS, maxAhead: TOLERANCE_MS }, { missing: AUTH_FAILED, outside: REQUEST_STALE });
      const missingUrl: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_MISSING", args: Object.freeze([CERT_URL_HEADER]) });
      const missingSignature: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_MISSING", args: Object.freeze([SIGNATURE_256_HEADER]) });
      return (req): AuthResult => {
        const urlText = headerValue(req.headers, CERT_URL_HEADER);
        if (!urlText) return missingUrl;
        const signatureText = headerValue(req.headers, SIGNATURE_256_HEADER);
        if (!signatureText) return missingSignature;
        // Everything that needs no fetch first, so a forged request costs no round trip.
        const url = alexaCertUrl(urlText);
        if (url === undefined || !BASE64.test(signatureText)) return AUTH_FAILED;
        const stale = inWindow(req);
        if (stale !== undefined) return stale;
        const signature = Buffer.from(signatureText, "base64");
        const check = (chain: Chain | undefined): AuthFailure | undefined => {
          if (chain === undefined) return AUTH_UNAVAILABLE;
          if ("refused" in chain || req.now < chain.notBefore || req.now > chain.notAfter) return AUTH_FAILED;
          return verify("sha256", req.rawBody, chain.key, signature) ? undefined : AUTH_FAILED;
        };
        const cached = cache.get(url, req.now);
        if (cached !== undefined) return check(cached);
        return fetchOnce(url, req.now).then(check, () => AUTH_UNAVAILABLE);
      };
    },
  };
}

/** The scheme `scheme: alexa` names: Node's fetch and bundled roots. */
export const alexaScheme: SignatureScheme = createAlexaScheme();
