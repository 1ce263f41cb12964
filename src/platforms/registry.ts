/**
 * @module Every platform adapter by name and alias. `auto` tries `detectionOrder` in turn.
 */
import { registerSignatureScheme } from "../auth/signature-schemes.js";
import { pickPlatform } from "./pick-platform.js";
import { replySchemaWith, sharedReplyKeys } from "./reply-schema.js";
import type { PlatformAdapter, ReplyFieldSchema } from "./types.js";
import { aiflow } from "./aiflow.js";
import { apiai } from "./apiai.js";
import { clustaar } from "./clustaar.js";
import { dialogflow } from "./dialogflow.js";
import { dialogflowCx } from "./dialogflow-cx.js";
import { generic } from "./generic.js";
import { hutoma } from "./hutoma.js";
import { lex } from "./lex.js";
import { rasa } from "./rasa.js";

// Re-exported so the package's declarations load every platform's file: the reply keys a
// platform adds to `Reply` there (`PlatformReplyFields`) then reach a user's handler types.
export { aiflow, apiai, clustaar, dialogflow, dialogflowCx, generic, hutoma, lex, rasa };

/**
 * Adapters in the order `platform: auto` tries them (most specific shapes first, see
 * CX, ES, v1, then the rest by their distinctive keys). `generic` accepts
 * anything, so it is never tried.
 */
export const detectionOrder: readonly PlatformAdapter[] = [dialogflowCx, dialogflow, apiai, hutoma, clustaar, aiflow, rasa, lex];

/** Every adapter, in the order the docs list them (and `platform:` names are offered). */
const all: PlatformAdapter[] = [apiai, dialogflow, dialogflowCx, hutoma, clustaar, aiflow, rasa, lex, generic];

const byName = new Map<string, PlatformAdapter>();
for (const adapter of all) addNames(adapter);

function addNames(adapter: PlatformAdapter): void {
  // Its own scheme is then a `scheme:` name any webhook may use (and the default of its own).
  if (adapter.signatureScheme !== undefined) registerSignatureScheme(adapter.signatureScheme);
  byName.set(adapter.name, adapter);
  for (const alias of adapter.aliases) byName.set(alias, adapter);
}

/**
 * Adds a platform of your own (a wire format webhook-serve does not ship) before a config
 * naming it is loaded: `platform: <its name>` then works in every carrier. It is not tried by
 * `platform: auto`. The adapter must pass the conformance suite (CONTRIBUTING.md). Its
 * `signatureScheme`, if any, is registered by name too.
 * @throws Error when its name or an alias is already taken, or its scheme's name is.
 */
export function registerPlatform(adapter: PlatformAdapter): void {
  const taken = [adapter.name, ...adapter.aliases].find((name) => byName.has(name) || name === "auto");
  if (taken !== undefined) throw new Error(`platform name "${taken}" is already taken`);
  const replyKey = Object.keys(adapter.replyFields ?? {}).find((key) => replyKeyOwner(key) !== undefined);
  if (replyKey !== undefined) throw new Error(`reply key "${replyKey}" is already ${replyKeyOwner(replyKey)}'s`);
  // First, so a scheme name already taken leaves the platform unregistered too.
  if (adapter.signatureScheme !== undefined) registerSignatureScheme(adapter.signatureScheme);
  all.push(adapter);
  addNames(adapter);
}

/** The adapter for a config name or alias, or undefined. */
export function getAdapter(name: string): PlatformAdapter | undefined {
  return byName.get(name);
}

/** Every accepted `platform:` value, `auto` included. */
export function platformNames(): string[] {
  return [...byName.keys(), "auto"];
}

export function allAdapters(): readonly PlatformAdapter[] {
  return all;
}

/** The platform a body is, as `platform: auto` decides it; undefined when none or several fit. */
export function detectAdapter(body: unknown): PlatformAdapter | undefined {
  const found = pickPlatform(detectionOrder, body, (adapter) => adapter);
  return Array.isArray(found) ? undefined : found;
}

/** Which platform's reply key this is (`"every platform"` for a shared one), or undefined. */
function replyKeyOwner(key: string): string | undefined {
  if (sharedReplyKeys.includes(key)) return "every platform";
  return all.find((adapter) => adapter.replyFields?.[key] !== undefined)?.name;
}

/** Every platform's own reply keys, with their schemas (`PlatformAdapter.replyFields`). */
export function platformReplyFields(): Readonly<Record<string, ReplyFieldSchema>> {
  return Object.assign({}, ...all.map((adapter) => adapter.replyFields ?? {})) as Record<string, ReplyFieldSchema>;
}

/** The reply's JSON schema: the shared keys and every registered platform's own. */
export function replySchema(): object {
  return replySchemaWith(platformReplyFields());
}
