/**
 * @module One reload, off to the side: load and validate the whole config, compile every
 * handler afresh (with its local imports), build a new Runtime. Nothing is swapped here; the
 * caller swaps only on success (adnanh/webhook's "parse all, then swap, else keep old").
 */
import { resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";
import type { Config } from "../config/types.js";
import type { ConfigIssue } from "../errors.js";
import { buildRuntime, collectHandlerRefs } from "./build-runtime.js";
import type { Disposer, Runtime } from "./runtime.js";
import { bundleHandlers } from "../reload/bundle-handlers.js";

export type RebuildResult =
  | { ok: true; runtime: Runtime; config: Config; files: string[]; /** Deletes the generation's files once its runtime is retired. */ dispose: () => Promise<void> }
  | { ok: false; issues: ConfigIssue[]; files: string[]; /** Modules that loaded before the failure: to dispose. */ disposers?: readonly Disposer[] };

export interface RebuildOptions {
  env: Record<string, string | undefined>;
  checkReplies: boolean;
  /** The serving runtime: route in-flight counts carry over to the new one. */
  previous?: Runtime;
}

/** `files`: what to watch next (config + handlers + their local imports), also on failure. */
export async function rebuildRuntime(configFile: string, options: RebuildOptions): Promise<RebuildResult> {
  const loaded = await loadConfig(configFile, { env: options.env });
  if (!loaded.ok) {
    // A handler the new config names but that does not exist yet: watch for it, so writing it reloads.
    const missing = loaded.issues.flatMap((issue) => (issue.file === undefined ? [] : [issue.file]));
    return { ok: false, issues: [...loaded.issues], files: missing.length > 0 ? [resolve(configFile), ...missing] : [] };
  }
  const { config } = loaded;
  const refs = handlerRefs(config);
  const bundle = await bundleHandlers(refs.map((ref) => ref.file));
  if (!bundle.ok) {
    const issues: ConfigIssue[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const message = bundle.errors.get(ref.file);
      if (message === undefined || seen.has(ref.file)) continue;
      seen.add(ref.file);
      issues.push({ ...ref.at, message: `cannot import ${ref.spec}: ${message}` });
    }
    return { ok: false, issues, files: [config.file, ...bundle.inputs] };
  }
  const files = [config.file, ...bundle.inputs];
  let built;
  try {
    built = await buildRuntime(config, { importModule: bundle.importModule, fresh: true, checkReplies: options.checkReplies, ...(options.previous ? { previous: options.previous } : {}) });
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

/** Every handler the config names (shared with the first build). */
export const handlerRefs = collectHandlerRefs;
