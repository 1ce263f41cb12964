/**
 * @module Build step after `tsc`: bundles the CLI (dist/cli/main.js and the packages it
 * imports) into one file, dist/cli/main.bundle.js, which `bin/webhook-serve.js` runs. One file
 * instead of ~540 saves a third of a cold start (module resolution and file reads).
 * Left outside: what loads lazily (esbuild, which compiles handlers,
 * pino-pretty, ioredis, jose for bearer tokens, @fastify/websocket for websocket webhooks):
 * bundled, their ~280 KB would be parsed at every start. The bundle sits beside main.js, so its relative URLs
 * (../../package.json, ../config/config-validator.cjs) resolve the same.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
const root = new URL("../", import.meta.url);

const result = await build({
  absWorkingDir: fileURLToPath(root),
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/cli/main.bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["esbuild", "pino-pretty", "ioredis", "jose", "@fastify/websocket"],
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
