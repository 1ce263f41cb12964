import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { configSchema, configSchemaFileText } from "../../../src/config/config-schema.js";
import { normalizeConfigObject } from "../../../src/config/load-config.js";
import { schemaDefault } from "../../../src/config/schema-defaults.js";
import { rawConfigTypes } from "../../../scripts/raw-config-types.js";

type Schema = Record<string, unknown>;

/** Every subschema with its JSON pointer. */
function* walk(schema: unknown, pointer = "#"): Generator<[string, Schema]> {
  if (typeof schema !== "object" || schema === null) return;
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) yield* walk(item, `${pointer}/${i}`);
    return;
  }
  yield [pointer, schema as Schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key === "enum" || key === "const" || key === "required") continue;
    if (key === "properties" || key === "$defs") {
      for (const [name, sub] of Object.entries(value as Schema)) yield* walk(sub, `${pointer}/${key}/${name}`);
    } else yield* walk(value, `${pointer}/${key}`);
  }
}

describe("config schema", () => {
  const nodes = [...walk(configSchema)];

  it("describes every property", () => {
    const undocumented = nodes
      .filter(([pointer]) => /\/properties\/[^/]+$/.test(pointer))
      .filter(([, schema]) => typeof schema.description !== "string" || schema.description === "")
      .map(([pointer]) => pointer);
    expect(undocumented).toEqual([]);
  });

  it("forbids unknown keys on every object with properties", () => {
    const open = nodes.filter(([, schema]) => schema.properties !== undefined && schema.additionalProperties !== false).map(([p]) => p);
    expect(open).toEqual([]);
  });

  it("gives every union an errorMessage", () => {
    const bare = nodes
      .filter(([, schema]) => ["oneOf", "anyOf", "not"].some((k) => k in schema) && typeof schema.errorMessage !== "string")
      .map(([p]) => p)
      // the pairs inside `not: { anyOf }` are reported through the outer `not`'s message
      .filter((p) => !p.endsWith("/not"));
    expect(bare).toEqual([]);
  });

  it("keeps each default once, as a `default:` (the \"Default …\" sentences are generated)", () => {
    const written = nodes.filter(([, schema]) => typeof schema.description === "string" && /\bDefault\b/.test(schema.description)).map(([p]) => p);
    expect(written).toEqual([]);
    const published = JSON.parse(configSchemaFileText()) as { properties: { server: { properties: Record<string, Schema> } } };
    expect(published.properties.server.properties.port!.description).toBe("TCP port. Default 8080.");
    expect(published.properties.server.properties.port!.default).toBe(8080);
  });

  it("fills the defaults in while validating: a file without server: gets the schema's", () => {
    const loaded = normalizeConfigObject({ webhooks: [{ path: "/a", platform: "generic", auth: { apiKey: { value: "k" }, signature: { secret: "s" } }, dedupe: { key: "id" } }] }, { dir: "." });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const { server, webhooks } = loaded.config;
    expect(server).toMatchObject({ host: schemaDefault("server.host"), port: schemaDefault("server.port"), bodyLimit: 1024 * 1024, shutdownTimeout: 10_000, requestTimeout: 30_000, workerStallTimeout: 30_000 });
    expect(server.dedupe).toBeUndefined(); // absent: off, unless a webhook sets dedupe
    expect(webhooks[0]!.auth).toMatchObject({ apiKey: { header: "api-key" }, signature: { scheme: "hmac" } });
    // Given values win over defaults; the input is not changed.
    const input = { server: { port: 9000, dedupe: {} }, webhooks: [{ path: "/a", platform: "generic" }] };
    const given = normalizeConfigObject(input, { dir: "." });
    expect(given.ok && given.config.server).toMatchObject({ port: 9000, dedupe: { ttl: 600_000, store: "memory", maxEntries: 10_000 } });
    expect(input.server).toEqual({ port: 9000, dedupe: {} });
  });

  it("matches the committed src/config/raw-config.ts (run `npm run schema`)", () => {
    expect(readFileSync(new URL("../../../src/config/raw-config.ts", import.meta.url), "utf8")).toBe(rawConfigTypes());
  });

  it("matches the committed schema/config.schema.json (run `npx tsx scripts/generate-schema.ts`)", () => {
    const committed = readFileSync(new URL("../../../schema/config.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(configSchemaFileText());
  });

  it("publishes a schema that a plain draft-07 validator accepts", () => {
    const published = JSON.parse(configSchemaFileText()) as Schema;
    expect(published.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(published.$id).toMatch(/config\.schema\.json$/);
    const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(published);
    expect(validate({ webhooks: [{ path: "/a", platform: "dialogflow", routes: [{ intent: "x", reply: { text: "hi" } }] }] })).toBe(true);
    expect(validate({ webhooks: [{ path: "/a", platform: "dialogflow", routes: [{ intnet: "x", reply: {} }] }] })).toBe(false);
  });
});

describe("schema/config.schema.json as an editor reads it (before ${…} substitution)", () => {
  const fileSchema = JSON.parse(readFileSync(new URL("../../../schema/config.schema.json", import.meta.url), "utf8")) as Schema;
  // No type coercion: yaml-language-server checks the YAML values as they are written.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(fileSchema);

  it("accepts the repo's own example, ${PORT:-8080} included", async () => {
    const { parse } = await import("yaml");
    const example = parse(readFileSync(new URL("../../../config.example.yaml", import.meta.url), "utf8")) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ server: { port: "${PORT}", metrics: "${METRICS:-true}", logLevel: "${LOG_LEVEL}" }, webhooks: [{ path: "/a", platform: "generic" }] })).toBe(true);
  });

  it("still refuses a wrong literal, and says a bad duration in plain words", () => {
    expect(validate({ server: { port: "eighty" }, webhooks: [{ path: "/a", platform: "generic" }] })).toBe(false);
    expect(validate({ server: { timeout: "soon" }, webhooks: [{ path: "/a", platform: "generic" }] })).toBe(false);
    const timeout = ((fileSchema.properties as Schema).server as { properties: Record<string, { anyOf: Schema[] }> }).properties.timeout!;
    expect(timeout.anyOf[0]!.errorMessage).toBe("use 500ms, 4s, 10m, 1h or a number of milliseconds");
  });
});
