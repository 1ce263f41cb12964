import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/config-schema.js";
import { configAjvOptions } from "../../../src/config/load-config.js";
import { getAdapter, platformNames } from "../../../src/platforms/registry.js";
import { adapterAjvOptions, exportName } from "../../../src/platforms/adapter-validators.js";

// `npm test` builds before vitest runs; the build precompiles these (scripts/compile-validators.js).
const dist = fileURLToPath(new URL("../../../dist/", import.meta.url));
const load = createRequire(dist);

describe("validators precompiled by the build", () => {
  it("exist in dist/", () => {
    expect(existsSync(`${dist}config/config-validator.cjs`)).toBe(true);
    expect(existsSync(`${dist}platforms/adapter-validators.cjs`)).toBe(true);
  });

  it("give the config the same verdicts and errors as a run-time compile", () => {
    const built = (load("./config/config-validator.cjs") as { config: ValidateFunction }).config;
    const fresh = new Ajv(configAjvOptions).compile(configSchema);
    const samples: unknown[] = [
      { webhooks: [{ path: "/a", platform: "dialogflow", routes: [{ intent: "x", reply: { text: "hi" } }] }] },
      { webhooks: [{ path: "/a", platform: "nope", routes: [{ intnet: "x", reply: {} }] }] },
      { server: { port: "8080", bodyLimit: 5 }, webhooks: [] },
      { webhooks: [{ path: "/a", platform: "apiai", routes: [{ intent: "x", handler: "./h.ts", reply: { text: "t" } }] }] },
    ];
    for (const sample of samples) {
      const a = structuredClone(sample);
      const b = structuredClone(sample);
      expect(built(a)).toBe(fresh(b));
      expect(built.errors?.map((e) => [e.instancePath, e.keyword, e.message])).toEqual(fresh.errors?.map((e) => [e.instancePath, e.keyword, e.message]));
      expect(a).toEqual(b); // the same type coercions
    }
  });

  it("cover every adapter's request and response schema, with the same verdicts", () => {
    const built = load("./platforms/adapter-validators.cjs") as Record<string, ValidateFunction>;
    const ajv = new Ajv(adapterAjvOptions);
    for (const name of platformNames()) {
      const adapter = getAdapter(name);
      if (adapter === undefined) continue;
      const request = built[`request_${exportName(adapter)}`];
      const response = built[`response_${exportName(adapter)}`];
      expect(request, name).toBeTypeOf("function");
      expect(response, name).toBeTypeOf("function");
      const sample = adapter.sample({ intent: "hello", params: { city: "Rome" } });
      expect(request?.(sample), name).toBe(ajv.compile(adapter.requestSchema)(sample));
      expect(request?.(sample), name).toBe(true);
      expect(request?.({ nonsense: true }), name).toBe(ajv.compile(adapter.requestSchema)({ nonsense: true }));
    }
  });
});
