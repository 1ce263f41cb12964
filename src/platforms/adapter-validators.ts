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
const requests = new WeakMap<PlatformAdapter, ValidateFunction>();
const responses = new WeakMap<PlatformAdapter, ValidateFunction>();

export function requestValidator(adapter: PlatformAdapter): ValidateFunction {
  let fn = requests.get(adapter);
  if (!fn) {
    fn = precompiled<ValidateFunction>(PRECOMPILED, `request_${exportName(adapter)}`) ?? compile(adapter.requestSchema);
    requests.set(adapter, fn);
  }
  return fn;
}

export function responseValidator(adapter: PlatformAdapter): ValidateFunction {
  let fn = responses.get(adapter);
  if (!fn) {
    fn = precompiled<ValidateFunction>(PRECOMPILED, `response_${exportName(adapter)}`) ?? compile(adapter.responseSchema);
    responses.set(adapter, fn);
  }
  return fn;
}

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
