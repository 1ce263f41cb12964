/**
 * @module Writes schema/config.schema.json from src/config/config-schema.ts.
 * Run: `npx tsx scripts/generate-schema.ts`. test/unit/config/schema-file.test.ts fails when
 * the committed file and the source drift.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configSchemaFileText } from "../src/config/config-schema.js";

const target = fileURLToPath(new URL("../schema/config.schema.json", import.meta.url));
writeFileSync(target, configSchemaFileText());
console.log(`wrote ${target}`);
