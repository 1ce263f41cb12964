/**
 * @module Writes schema/config.schema.json and docs/configuration-reference.md from src/config/config-schema.ts.
 * Run: `npx tsx scripts/generate-schema.ts`. test/unit/config/schema-file.test.ts fails when
 * the committed file and the source drift.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configSchemaFileText } from "../src/config/config-schema.js";
import { configReference } from "./config-reference.js";

for (const [file, text] of [
  ["../schema/config.schema.json", configSchemaFileText()],
  ["../docs/configuration-reference.md", configReference()],
] as const) {
  const target = fileURLToPath(new URL(file, import.meta.url));
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
