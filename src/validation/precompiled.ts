/**
 * @module Validators the build compiled ahead of time with ajv's standalone code
 * (`scripts/compile-validators.js` writes them as CommonJS files beside `dist/`'s modules),
 * so a start does not compile schemas. Running from sources (tests, tsx) they are absent and
 * callers compile at run time instead: same schemas, same ajv options.
 * @see https://ajv.js.org/standalone.html
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const files = new Map<string, Record<string, unknown> | null>();

/** The export `name` of `file` (a path under `dist/`), or undefined when it was not built. */
export function precompiled<T>(file: string, name: string): T | undefined {
  let exports = files.get(file);
  if (exports === undefined) {
    try {
      exports = require(`../${file}`) as Record<string, unknown>;
    } catch {
      exports = null;
    }
    files.set(file, exports);
  }
  return (exports?.[name] as T | undefined) ?? undefined;
}
