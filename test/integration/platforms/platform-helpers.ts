/**
 * @module Shared pieces of the platform integration tests: the sample payloads, each adapter's
 * response schema compiled with ajv (an oracle independent of the server's own check), and
 * request signing computed here with node:crypto rather than with the server's code.
 */
import { createHmac } from "node:crypto";
import { Ajv } from "ajv";
import { expect } from "vitest";
import { getAdapter } from "../../../src/platforms/registry.js";
import { payload, type PayloadPlatform } from "../../fixtures/payloads/load-payload.js";

/** A sample payload from test/fixtures/payloads/<platform>/<file>, parsed. */
export function fixture(platform: PayloadPlatform, file = "request.json"): Record<string, unknown> {
  return payload(platform, file);
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Asserts that `body` is a response the platform accepts (the adapter's responseSchema). */
export function expectValidResponse(platform: string, body: unknown): void {
  const adapter = getAdapter(platform);
  if (adapter === undefined) throw new Error(`no adapter ${platform}`);
  const validate = ajv.getSchema(adapter.name) ?? (ajv.addSchema(adapter.responseSchema, adapter.name), ajv.getSchema(adapter.name));
  const ok = validate?.(body);
  expect(validate?.errors ?? [], `${platform} response ${JSON.stringify(body)}`).toEqual([]);
  expect(ok).toBe(true);
}

/** `sha256=<hex>` of the exact bytes, as Hu:toma signs. */
export function hutomaSignature(secret: string, body: string): Record<string, string> {
  return { "x-hub-signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` };
}

/** Clustaar: `X-Hub-Signature: sha1=<hex>` of `date=<Date>\n<body>`, with that `Date` header. */
export function clustaarSignature(secret: string, body: string, date = new Date().toUTCString()): Record<string, string> {
  const signature = createHmac("sha1", secret).update(`date=${date}\n${body}`).digest("hex");
  return { date, "x-hub-signature": `sha1=${signature}` };
}

/** Standard Webhooks headers for `body`, signed with a `whsec_` secret. */
export function standardWebhooksSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000), id = "msg_test"): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` };
}

/** The error code of a `{ error: { code } }` body. */
export function errorCode(body: unknown): unknown {
  return (body as { error?: { code?: unknown } } | undefined)?.error?.code;
}
