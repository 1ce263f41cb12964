/**
 * @module Building a runtime from a config, the one way for a start and a reload: load and
 * validate the whole config, compile every handler afresh (with its local imports), build a
 * new Runtime. Nothing is swapped here; a reload swaps only on success (adnanh/webhook's
 * "parse all, then swap, else keep old").
 */
import { positionOf } from "../config/source-position.js";
import { resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";
import type { Config, HandlerRef } from "../config/types.js";
import type { ConfigIssue } from "../errors.js";
import { buildRuntime, collectHandlerRefs } from "./build-runtime.js";
import type { Disposer, Runtime } from "./runtime.js";
import { bundleHandlers } from "../handlers/bundle-handlers.js";
import { loadHandlers, type ImportModule } from "../handlers/load-handlers.js";

export type RebuildResult =
  | { ok: true; runtime: Runtime; config: Config; files: string[]; /** Deletes the generation's files once its runtime is retired. */ dispose: () => Promise<void> }
  | { ok: false; issues: ConfigIssue[]; files: string[]; /** Modules that loaded before the failure: to dispose. */ disposers?: readonly Disposer[] };

export interface RuntimeLoadOptions {
  /** Check every reply against the platform's response schema (development). @default false */
  checkReplies?: boolean;
  /** The serving runtime: route in-flight counts carry over to the new one. */
  previous?: Runtime;
}

interface RebuildOptions extends RuntimeLoadOptions {
  env: Record<string, string | undefined>;
}

/** `files`: what to watch next (config + handlers + their local imports), also on failure. */
export async function rebuildRuntime(configFile: string, options: RebuildOptions): Promise<RebuildResult> {
  const loaded = await loadConfig(configFile, { env: options.env });
  if (!loaded.ok) {
    // A handler the new config names but that does not exist yet: watch for it, so writing it reloads.
    const missing = loaded.issues.flatMap((issue) => (issue.file === undefined ? [] : [issue.file]));
    return { ok: false, issues: [...loaded.issues], files: missing.length > 0 ? [resolve(configFile), ...missing] : [] };
  }
  return loadRuntime(loaded.config, options);
}

/**
 * A loaded config → its runtime, at start and on reload alike: every handler is compiled
 * afresh (with its local imports) into one bundle generation, imported, and the runtime built.
 */
export async function loadRuntime(config: Config, options: RuntimeLoadOptions = {}): Promise<RebuildResult> {
  const refs = collectHandlerRefs(config);
  if (refs.length === 0) {
    // No handler: no bundle, and esbuild's service never starts.
    const built = await buildRuntime(config, { importModule: NO_IMPORT, checkReplies: options.checkReplies ?? false, ...(options.previous ? { previous: options.previous } : {}) });
    return built.ok ? { ok: true, runtime: built.runtime, config, files: [config.file], dispose: async () => {} } : { ok: false, issues: built.issues, files: [config.file] };
  }
  const bundle = await bundleHandlers(refs.map((ref) => ref.file));
  if (!bundle.ok) return compileFailure(config, refs, bundle.errors, bundle.inputs);
  const files = [config.file, ...bundle.inputs];
  let built;
  try {
    built = await buildRuntime(config, { importModule: bundle.importModule, files, checkReplies: options.checkReplies ?? false, ...(options.previous ? { previous: options.previous } : {}) });
  } catch (error) {
    await bundle.dispose();
    throw error;
  }
  if (!built.ok) {
    await bundle.dispose();
    return { ok: false, issues: built.issues, files, disposers: built.disposers };
  }
  // The generation's files stay while its runtime serves: a handler may `await import()` a local chunk later.
  return { ok: true, runtime: built.runtime, config, files, dispose: bundle.dispose };
}

/**
 * Handlers that do not compile, reported with their line:column; the ones that do are
 * compiled again and loaded, so their problems (a missing export) are listed too.
 */
async function compileFailure(config: Config, refs: readonly HandlerRef[], errors: ReadonlyMap<string, string>, inputs: readonly string[]): Promise<RebuildResult> {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const message = errors.get(ref.file);
    if (message === undefined || seen.has(ref.file)) continue;
    seen.add(ref.file);
    issues.push({ ...positionOf(ref.at), message: `cannot import ${ref.spec}: ${message}` });
  }
  const rest = refs.filter((ref) => !errors.has(ref.file));
  const others = rest.length > 0 ? await bundleHandlers(rest.map((ref) => ref.file)) : undefined;
  let disposers: readonly Disposer[] = [];
  if (others?.ok) {
    const loaded = await loadHandlers(rest, others.importModule);
    issues.push(...loaded.issues);
    disposers = loaded.disposers;
    await others.dispose();
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  return { ok: false, issues, files: [config.file, ...new Set([...inputs, ...(others?.inputs ?? [])])], disposers };
}

const NO_IMPORT: ImportModule = (file) => Promise.reject(new Error(`${file}: no handler was bundled`));
