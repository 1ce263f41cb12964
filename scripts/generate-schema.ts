/**
 * @module Writes schema/config.schema.json, docs/configuration-reference.md and
 * src/config/raw-config.ts from src/config/config-schema.ts, and the reply tables of
 * docs/handlers.md from the platform registry.
 * Run: `npx tsx scripts/generate-schema.ts`. test/unit/config/schema-file.test.ts fails when
 * the committed file and the source drift.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configSchemaFileText } from "../src/config/config-schema.js";
import { configReference } from "./config-reference.js";
import { rawConfigTypes } from "./raw-config-types.js";
import { withReplyTables } from "./reply-table.js";

for (const [file, text] of [
  ["../schema/config.schema.json", configSchemaFileText()],
  ["../docs/configuration-reference.md", configReference()],
  ["../src/config/raw-config.ts", rawConfigTypes()],
  ["../docs/handlers.md", withReplyTables(readFileSync(new URL("../docs/handlers.md", import.meta.url), "utf8"))],
] as const) {
  const target = fileURLToPath(new URL(file, import.meta.url));
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
