/**
 * @module Every platform adapter by name and alias. `auto` tries `detectionOrder` in turn.
 */
import { pickPlatform } from "./pick-platform.js";
import type { PlatformAdapter } from "./types.js";
import { aiflow } from "./aiflow.js";
import { apiai } from "./apiai.js";
import { clustaar } from "./clustaar.js";
import { dialogflow } from "./dialogflow.js";
import { dialogflowCx } from "./dialogflow-cx.js";
import { generic } from "./generic.js";
import { hutoma } from "./hutoma.js";
import { lex } from "./lex.js";
import { rasa } from "./rasa.js";

/**
 * Adapters in the order `platform: auto` tries them (most specific shapes first, see
 * CX, ES, v1, then the rest by their distinctive keys). `generic` accepts
 * anything, so it is never tried.
 */
export const detectionOrder: readonly PlatformAdapter[] = [dialogflowCx, dialogflow, apiai, hutoma, clustaar, aiflow, rasa, lex];

/** Every adapter, in the order the docs list them (and `platform:` names are offered). */
const all: readonly PlatformAdapter[] = [apiai, dialogflow, dialogflowCx, hutoma, clustaar, aiflow, rasa, lex, generic];

const byName = new Map<string, PlatformAdapter>();
for (const adapter of all) {
  byName.set(adapter.name, adapter);
  for (const alias of adapter.aliases) byName.set(alias, adapter);
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
