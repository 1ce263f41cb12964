/**
 * @module ajv validators for each adapter's request and response schema, compiled once
 * per process (adapters are static, so reloads reuse them).
 */
import { Ajv, type Options, type ValidateFunction } from "ajv";
import type { PlatformAdapter } from "./types.js";
import { precompiled } from "../validation/precompiled.js";

/** The options adapters' schemas are compiled with, here and by `scripts/compile-validators.js`. */
export const adapterAjvOptions = { allErrors: false, strict: false } satisfies Options;

/** The build precompiles every adapter's schemas (`dist/platforms/adapter-validators.cjs`). */
const PRECOMPILED = "platforms/adapter-validators.cjs";
let ajv: Ajv | undefined;
const compile = (schema: object) => (ajv ??= new Ajv(adapterAjvOptions)).compile(schema);
const cache = { request: new WeakMap<PlatformAdapter, ValidateFunction>(), response: new WeakMap<PlatformAdapter, ValidateFunction>() };

/** The adapter's request or response validator: precompiled when built, else compiled once. */
function validator(which: "request" | "response", adapter: PlatformAdapter): ValidateFunction {
  let fn = cache[which].get(adapter);
  if (!fn) {
    fn = precompiled<ValidateFunction>(PRECOMPILED, `${which}_${exportName(adapter)}`) ?? compile(which === "request" ? adapter.requestSchema : adapter.responseSchema);
    cache[which].set(adapter, fn);
  }
  return fn;
}

export const requestValidator = (adapter: PlatformAdapter): ValidateFunction => validator("request", adapter);
export const responseValidator = (adapter: PlatformAdapter): ValidateFunction => validator("response", adapter);

/** `dialogflow-cx` → `dialogflow_cx`: the adapter's name as an export of the precompiled file. */
export function exportName(adapter: PlatformAdapter): string {
  return adapter.name.replace(/[^a-zA-Z0-9]/g, "_");
}

/** `/queryResult must be object` (the field first, so the message names it). */
export function describeSchemaError(fn: ValidateFunction): string {
  const error = fn.errors?.[0];
  if (!error) return "invalid";
  const where = error.instancePath || "(body)";
  if (error.keyword === "required") return `${where === "(body)" ? "" : where}/${String(error.params.missingProperty)} is required`;
  return `${where} ${error.message ?? "is invalid"}`;
}
