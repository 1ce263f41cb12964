/**
 * @module Builds a request a webhook accepts: the adapter's sample() body plus whatever
 * headers its auth needs (API key, basic credentials, signature). Used by `send` and by
 * the users' testing helper, so both go through the real pipeline.
 */
import { randomUUID } from "node:crypto";
import { signRequest } from "../auth/sign-request.js";
import type { WebhookConfig } from "../config/types.js";
import { detectionOrder, getAdapter } from "../platforms/registry.js";
import type { PlatformAdapter, SampleTurn } from "../platforms/types.js";
import { jsonBody } from "../platforms/body-decoders.js";

/** The media type an adapter's requests are built in: its first decoder's. */
function bodyDecoderOf(adapter: PlatformAdapter) {
  return adapter.bodies?.[0] ?? jsonBody;
}

export interface SampleRequestInput extends SampleTurn {
  /** For `platform: auto` webhooks: which format to send. @default the first in detection order */
  platform?: string;
  /** Extra headers; they win over the generated ones. */
  headers?: Record<string, string>;
}

interface SampleRequest {
  adapter: PlatformAdapter;
  payload: string;
  headers: Record<string, string>;
}

export function buildSampleRequest(webhook: WebhookConfig, input: SampleRequestInput, now = Date.now()): SampleRequest {
  const name = input.platform ?? webhook.platform;
  const adapter = name === "auto" ? detectionOrder[0] : getAdapter(name);
  if (adapter === undefined) throw new Error(`unknown platform "${name}"`);
  const { platform: _platform, headers: extra, ...turn } = input;
  // A fresh delivery id per request: with dedupe on, a second `send` must not get the first reply.
  const body = adapter.sample({ deliveryId: randomUUID(), ...turn });
  const payload = bodyDecoderOf(adapter).encode(body);
  return { adapter, payload, headers: authenticatedHeaders(webhook, adapter, payload, extra, now) };
}

/**
 * The headers a webhook's auth requires for this exact payload: the API key, basic
 * credentials, a signature over the bytes (a saved request replayed by `send --body`, too).
 * `extra` headers win over the generated ones, and are signed with them.
 */
export function authenticatedHeaders(webhook: WebhookConfig, adapter: PlatformAdapter, payload: string, extra: Record<string, string> = {}, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = { "content-type": bodyDecoderOf(adapter).contentType };
  const auth = webhook.auth;
  if (auth?.apiKey) headers[auth.apiKey.header] = auth.apiKey.value;
  if (auth?.basic) {
    headers.authorization = `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString("base64")}`;
  }
  Object.assign(headers, extra);
  if (auth?.signature) {
    // What the platform signs: its public URL where the webhook sets one (requests built here have no query).
    Object.assign(headers, signRequest(auth.signature, adapter, Buffer.from(payload), headers, now, undefined, { url: webhook.publicUrl ?? webhook.path }));
  }
  return headers;
}
