/**
 * @module Build step after `tsc`: bundles the CLI (dist/cli/main.js and the packages it
 * imports) into one file, dist/cli/main.bundle.js, which `bin/webhook-serve.js` runs. One file
 * instead of ~540 saves a third of a cold start (module resolution and file reads).
 * Left outside: what loads lazily (tsx and esbuild for TypeScript handlers and --watch,
 * pino-pretty, ioredis). The bundle sits beside main.js, so its relative URLs
 * (../../package.json, ../config/config-validator.cjs) resolve the same.
 * esbuild comes with tsx, a runtime dependency.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
const { build } = await import(pathToFileURL(fromTsx.resolve("esbuild")).href);
const root = new URL("../", import.meta.url);

const result = await build({
  absWorkingDir: fileURLToPath(root),
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/cli/main.bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["tsx", "tsx/*", "esbuild", "pino-pretty", "ioredis"],
  // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  legalComments: "none",
  // Smaller source to hold in memory and parse; identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  metafile: true,
});
console.log(`bundle-cli: ${Object.keys(result.metafile.inputs).length} modules → dist/cli/main.bundle.js`);
