/**
 * @module Signatures over the URL the platform called plus the form's fields, sorted by name
 * (Twilio's scheme: `X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + name1 + value1 +
 * name2 + value2 …))`). A platform file makes its scheme with `createUrlAndFieldsScheme` and
 * its own header and hash. The URL is the webhook's `publicUrl` with the request's query
 * (AuthRequest.url): behind a proxy the path received is not what the platform signed.
 * @see https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio
 */
import { createHmac } from "node:crypto";
import { digestsEqual } from "./constant-time.js";
import { AUTH_FAILED } from "./failures.js";
import { headerValue } from "./header-value.js";
import type { AuthFailure, SignatureScheme } from "./types.js";

export interface UrlAndFieldsOptions {
  /** The scheme's `scheme:` name. */
  name: string;
  /** Lower-case header holding base64(HMAC). */
  header: string;
  algorithm: "sha1" | "sha256";
}

/**
 * The signed text: the URL, then each form field's name and value, sorted by name (code-unit
 * order, as Twilio's "case-sensitive" sort) and by value for a repeated name. A body that is no
 * form adds nothing.
 */
export function urlAndFieldsContent(url: string, rawBody: Buffer): string {
  const fields = [...new URLSearchParams(rawBody.toString("utf8"))];
  fields.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  let content = url;
  for (const [name, value] of fields) content += name + value;
  return content;
}

/** base64 HMAC of the URL and fields, as the platform puts it in its header. */
export function urlAndFieldsSignature(algorithm: UrlAndFieldsOptions["algorithm"], secret: string, url: string, rawBody: Buffer): string {
  return createHmac(algorithm, secret).update(urlAndFieldsContent(url, rawBody), "utf8").digest("base64");
}

/**
 * Missing header → 400 `WHS_ERR_AUTH_MISSING` naming it; a signature no secret makes → 401.
 * Every secret is tried (rotation); the digests are compared as bytes in constant time.
 */
export function createUrlAndFieldsScheme(options: UrlAndFieldsOptions): SignatureScheme {
  const { name, header, algorithm } = options;
  const missing: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_MISSING", args: Object.freeze([header]) });
  return {
    name,
    compile(config) {
      const secrets = config.secrets;
      return (req) => {
        const given = headerValue(req.headers, header);
        if (!given) return missing;
        const received = Buffer.from(given, "base64");
        const content = urlAndFieldsContent(req.url ?? "", req.rawBody);
        for (const secret of secrets) {
          if (digestsEqual(createHmac(algorithm, secret).update(content, "utf8").digest(), received)) return undefined;
        }
        return AUTH_FAILED;
      };
    },
    sign(config, req) {
      const secret = config.secrets[0];
      if (secret === undefined) throw new Error("auth.signature has no secret to sign with");
      return { [header]: urlAndFieldsSignature(algorithm, secret, req.url ?? "", req.rawBody) };
    },
  };
}
