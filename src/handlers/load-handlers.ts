/**
 * @module Imports every handler the config names, once, before the server answers.
 * A module that fails to import, lacks the named export, or never finishes importing (a
 * top-level await that does not settle) is a config issue, so neither the start nor a
 * reload waits forever.
 */
import { positionOf } from "../config/source-position.js";
import type { HandlerRef } from "../config/types.js";
import type { ConfigIssue } from "../errors.js";
import type { Disposer } from "../runtime/runtime.js";
import type { Handler } from "../types.js";
import { TIMED_OUT, settleWithin } from "./settle-within.js";

/** Loads one module file (the bundle generation's importer). */
export type ImportModule = (file: string) => Promise<Record<string, unknown>>;

/** `file#export`: one entry per distinct handler. */
export function handlerKey(ref: HandlerRef): string {
  return `${ref.file}#${ref.exportName}`;
}

interface LoadedHandlers {
  handlers: Map<string, Handler>;
  issues: ConfigIssue[];
  /** Each loaded module's `dispose` export, once per module. */
  disposers: Disposer[];
}

/** How long one module may take to import (its top-level code included). */
const IMPORT_TIMEOUT_MS = 15_000;

export async function loadHandlers(
  refs: Iterable<HandlerRef>,
  importModule: ImportModule,
  options: { importTimeoutMs?: number } = {},
): Promise<LoadedHandlers> {
  const timeoutMs = options.importTimeoutMs ?? IMPORT_TIMEOUT_MS;
  const handlers = new Map<string, Handler>();
  const issues: ConfigIssue[] = [];
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const disposers: Disposer[] = [];
  for (const ref of refs) {
    const key = handlerKey(ref);
    if (handlers.has(key)) continue;
    let loading = modules.get(ref.file);
    const firstUse = loading === undefined;
    if (!loading) {
      loading = withDeadline(importModule(ref.file), timeoutMs);
      modules.set(ref.file, loading);
    }
    try {
      const mod = await loading;
      if (firstUse) {
        const dispose = pickExport(mod, "dispose");
        if (typeof dispose === "function") disposers.push({ spec: ref.spec.split("#")[0] ?? ref.spec, dispose: dispose as () => unknown });
      }
      const value = pickExport(mod, ref.exportName);
      if (typeof value !== "function") {
        const found = Object.keys(mod).filter((k) => typeof mod[k] === "function").sort();
        issues.push({
          ...positionOf(ref.at),
          message: `${ref.spec}: no function exported as "${ref.exportName}"${found.length ? ` (found: ${found.join(", ")})` : ""}`,
        });
        continue;
      }
      handlers.set(key, value as Handler);
    } catch (error) {
      issues.push({ ...positionOf(ref.at), message: `cannot import ${ref.spec}: ${firstLine(error)}` });
    }
  }
  return { handlers, issues, disposers };
}

async function withDeadline<T>(loading: Promise<T>, ms: number): Promise<T> {
  const result = await settleWithin(loading, ms);
  if (result === TIMED_OUT) throw new Error(`its import did not finish within ${ms / 1000} s (a top-level await that never settles?)`);
  return result;
}

/**
 * A module compiled as CommonJS (a `.ts` file in a package without `"type": "module"`)
 * arrives as `{ default: module.exports }`, so its exports sit one level down.
 */
function pickExport(mod: Record<string, unknown>, name: string): unknown {
  const direct = mod[name];
  if (typeof direct === "function") return direct;
  const inner = mod.default;
  if (typeof inner === "object" && inner !== null && typeof (inner as Record<string, unknown>)[name] === "function") {
    return (inner as Record<string, unknown>)[name];
  }
  return direct;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
