/**
 * @module Which platform a body is, for `platform: auto` and the public `detectAdapter`: the
 * one rule both use. A body carrying a key some platform declares its own (`queryResult`) is
 * only that platform's; among the rest, each adapter's detect() decides, and a body that
 * several accept (one built to look like two) is ambiguous rather than guessed.
 */
import { isRecord } from "./json.js";
import type { PlatformAdapter } from "./types.js";

/** The one candidate the body is; an array when several fit; undefined when none does. */
export function pickPlatform<T>(candidates: readonly T[], body: unknown, adapterOf: (candidate: T) => PlatformAdapter): T | T[] | undefined {
  const owners = isRecord(body) ? candidates.filter((c) => ownsKeyOf(adapterOf(c), body)) : [];
  const pool = owners.length > 0 ? owners : candidates;
  let found: T | undefined;
  let more: T[] | undefined;
  for (const candidate of pool) {
    if (!adapterOf(candidate).detect(body)) continue;
    if (found === undefined) found = candidate;
    else (more ??= [found]).push(candidate);
  }
  return more ?? found;
}

function ownsKeyOf(adapter: PlatformAdapter, body: Record<string, unknown>): boolean {
  const keys = adapter.ownKeys;
  if (keys === undefined) return false;
  for (const key of keys) if (Object.hasOwn(body, key)) return true;
  return false;
}
