/**
 * @module The signature schemes by their `auth.signature.scheme` name. webhook-serve ships
 * `hmac`, `standard-webhooks`, `ed25519` and `alexa`; a platform file adds its own with
 * `registerSignatureScheme` (or by declaring it as its adapter's `signatureScheme`, which
 * `registerPlatform` registers).
 */
import { alexaScheme } from "./alexa-signature.js";
import { ed25519Scheme } from "./ed25519-signature.js";
import { hmacScheme } from "./hmac-signature.js";
import { standardWebhooksScheme } from "./standard-webhooks.js";
import type { SchemePlatform, SignatureScheme } from "./types.js";

const byName = new Map<string, SignatureScheme>();
for (const scheme of [hmacScheme, standardWebhooksScheme, ed25519Scheme, alexaScheme]) byName.set(scheme.name, scheme);

/** The names webhook-serve ships, for the config schema's enum (registered ones are accepted too). */
export const builtInSchemeNames: readonly string[] = [...byName.keys()];

/**
 * Adds a scheme before a config naming it is loaded. Registering the same scheme object again
 * does nothing (a platform file and `registerPlatform` may both do it).
 * @throws Error when another scheme already has its name.
 */
export function registerSignatureScheme(scheme: SignatureScheme): void {
  const taken = byName.get(scheme.name);
  if (taken === scheme) return;
  if (taken !== undefined) throw new Error(`signature scheme name "${scheme.name}" is already taken`);
  byName.set(scheme.name, scheme);
}

/** The scheme of that name, or undefined. */
export function getSignatureScheme(name: string): SignatureScheme | undefined {
  return byName.get(name);
}

/** Every accepted `scheme:` value. */
export function signatureSchemeNames(): string[] {
  return [...byName.keys()];
}

/** The scheme a webhook's `auth.signature` uses: its platform's own when it names it, else the registered one. */
export function resolveSignatureScheme(name: string, platform: { signatureScheme?: SignatureScheme | undefined }): SignatureScheme {
  const own = platform.signatureScheme;
  const scheme = own !== undefined && own.name === name ? own : byName.get(name);
  // The loader refuses unknown names, so this is a config built by hand.
  if (scheme === undefined) throw new Error(`unknown signature scheme "${name}" (known: ${signatureSchemeNames().join(", ")})`);
  return scheme;
}

/** The dedupe key the webhook's signature scheme provides (Standard Webhooks: `header:webhook-id`), if any. */
export function schemeDedupeKey(auth: { signature?: { scheme: string } } | undefined): string | undefined {
  const name = auth?.signature?.scheme;
  return name === undefined ? undefined : byName.get(name)?.dedupeKey;
}

/** The `auth.signature` keys a scheme reads besides `scheme`. */
export function schemeKeys(scheme: SignatureScheme): readonly string[] {
  return scheme.keys ?? DEFAULT_KEYS;
}

/** The keys of which a scheme needs one. */
export function schemeNeeds(scheme: SignatureScheme): readonly string[] {
  return scheme.needs ?? (scheme.keys === undefined ? DEFAULT_KEYS : []);
}

const DEFAULT_KEYS = ["secret", "secrets"] as const;

export type { SchemePlatform, SignatureScheme };
