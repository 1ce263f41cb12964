/**
 * @module Imports a handler module. JavaScript goes through Node's own `import()`;
 * TypeScript goes through tsx's `tsImport`, which is loaded only when a TS handler
 * exists, so JavaScript users pay no tsx start-up.
 */
import { pathToFileURL } from "node:url";
import type * as TsxApi from "tsx/esm/api";

/** Loads one module file; `fresh` asks for a new copy (hot reload) instead of the cached one. */
export type ImportModule = (file: string, options: { fresh: boolean }) => Promise<Record<string, unknown>>;

const TS_FILE = /\.(ts|mts|cts)$/;
let tsxApi: Promise<typeof TsxApi> | undefined;
let generation = 0;

export const importModule: ImportModule = async (file, { fresh }) => {
  const url = pathToFileURL(file).href;
  if (TS_FILE.test(file)) {
    tsxApi ??= import("tsx/esm/api");
    const { tsImport } = await tsxApi;
    // tsImport loads into its own namespace on every call, so edited imports are seen too.
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  // A query string is the only way to bypass Node's ESM cache for plain JavaScript.
  return (await import(fresh ? `${url}?v=${++generation}` : url)) as Record<string, unknown>;
};

/** True when any of the files needs the TypeScript loader. */
export function needsTypeScript(files: Iterable<string>): boolean {
  for (const file of files) if (TS_FILE.test(file)) return true;
  return false;
}
